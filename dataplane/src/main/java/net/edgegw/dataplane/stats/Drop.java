package net.edgegw.dataplane.stats;

/** Why the data plane dropped a packet. Every drop has one, and each is counted (per SA and per worker). */
public enum Drop {
    /** Shorter than the headers it claims to carry. */
    RUNT,
    /** Not an IPv4/IPv6 packet, or an IP header whose lengths do not add up. */
    BAD_IP_HEADER,
    /** No inbound SA with this SPI (and destination). */
    NO_SA,
    /** Sequence number already seen or left of the anti-replay window (RFC 4303 §3.4.3). */
    REPLAY,
    /** ICV did not verify (RFC 4303 §3.4.4). */
    INTEG,
    /** Decrypted trailer inconsistent: pad length past the payload, or padding bytes not 1, 2, 3... (RFC 4303 §2.4). */
    BAD_PADDING,
    /** The outbound sequence number would cycle; the SA stops sending until rekeyed (RFC 4303 §3.3.3). */
    SEQ_CYCLED,
    /** The SA's hard lifetime has passed. */
    SA_EXPIRED,
    /** Not enough headroom or tailroom in the buffer, or no free buffer. */
    NO_BUFFER,
    /** Result would exceed the maximum packet size. */
    OVERSIZE,
    /** Decapsulated inner packet does not match the SA's traffic selectors (RFC 4301 §5.2). */
    POLICY,
    /** An SPD entry said DISCARD, or no entry matched (RFC 4301 §4.4.1). */
    SPD_DISCARD,
    /** ESP dummy packet, next header 59 (RFC 4303 §2.6): discarded by design, counted for visibility. */
    DUMMY,
    /** NAT-keepalive (single 0xFF byte, RFC 3948 §2.3): discarded by design. */
    NAT_KEEPALIVE,
    /** Something we parse correctly but do not handle (IP options in AH, extension headers, fragments). */
    UNSUPPORTED,
    /** Hand-off or I/O queue full. */
    QUEUE_FULL,
    /** Inner packet bigger than the tunnel MTU with DF set (or IPv6): an ICMP "too big" went back instead. */
    TOO_BIG,
    /** UDP datagram on the NAT-T port that is neither ESP, IKE, nor keepalive. */
    BAD_ENCAP,
    /** The kernel refused to send the outer packet (socket buffer full, no route, ...). */
    TX_ERROR;

    private static final Drop[] VALUES = values();

    public static Drop ofOrdinal(int i) {
        return VALUES[i];
    }
}
