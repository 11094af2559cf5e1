package net.edgegw.mgmt.port;

import java.util.List;

/**
 * One CHILD SA (an ESP SA pair, RFC 7296 §1.3) with its data-plane counters.
 *
 * @param spiIn        the inbound SPI, 8 hex digits
 * @param spiOut       the outbound SPI, 8 hex digits
 * @param suite        the ESP suite, e.g. {@code aes128gcm16}, {@code +esn} appended with extended sequence numbers
 * @param localTs      our traffic selectors as CIDRs
 * @param remoteTs     the peer's
 * @param rekeySeconds seconds until its rekey, -1 when none is scheduled
 */
public record ChildSaStatus(String spiIn, String spiOut, String suite, List<String> localTs, List<String> remoteTs,
                            long bytesIn, long bytesOut, long packetsIn, long packetsOut, long rekeySeconds) {
    public ChildSaStatus {
        localTs = List.copyOf(localTs);
        remoteTs = List.copyOf(remoteTs);
    }
}
