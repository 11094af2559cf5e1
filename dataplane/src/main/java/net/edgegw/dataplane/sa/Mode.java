package net.edgegw.dataplane.sa;

/** IPsec mode (RFC 4301 §4.1). */
public enum Mode { TUNNEL, TRANSPORT }
