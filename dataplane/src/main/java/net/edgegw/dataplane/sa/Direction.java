package net.edgegw.dataplane.sa;

/** Which way an SA carries traffic, seen from this gateway. */
public enum Direction { INBOUND, OUTBOUND }
