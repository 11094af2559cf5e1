package net.edgegw.dataplane.spd;

/** What an SPD entry does with matching traffic (RFC 4301 §4.4.1). */
public enum Action { PROTECT, BYPASS, DISCARD }
