package net.edgegw.appliance.ike.message;

/**
 * The fixed IKE header at the start of every message.
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Initiator's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       IKE SA Responder's SPI                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Payload | MjVer | MnVer | Exchange Type |     Flags     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Message ID                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            Length                             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param exchangeType raw Exchange Type (see {@link ExchangeType#of})
 * @param messageId    unsigned 32-bit Message ID in an int
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.1">RFC 7296 §3.1</a>
 */
public record IkeHeader(long spiI, long spiR, int nextPayload, int majorVersion, int minorVersion,
                        int exchangeType, int flags, int messageId, int length) {
    public static final int LEN = 28;            // RFC 7296 §3.1
    public static final int MAJOR_VERSION = 2;   // RFC 7296 §3.1
    public static final int FLAG_INITIATOR = 0x08; // (I)nitiator: sent by the original initiator
    public static final int FLAG_VERSION = 0x10;   // (V)ersion: never set by IKEv2 implementations
    public static final int FLAG_RESPONSE = 0x20;  // (R)esponse

    public ExchangeType exchange() {
        return ExchangeType.of(exchangeType);
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    /** True when the original initiator of the IKE SA sent this message. */
    public boolean fromInitiator() {
        return (flags & FLAG_INITIATOR) != 0;
    }

    public long messageIdUnsigned() {
        return Integer.toUnsignedLong(messageId);
    }

    @Override
    public String toString() {
        return String.format("%s %s #%d spi %016x_%016x", exchange(), isResponse() ? "response" : "request",
                messageIdUnsigned(), spiI, spiR);
    }
}
