/** {@code gatewayctl}: the management REST API from a shell, authenticated by an API token. */
package net.edgegw.mgmt.cli;
