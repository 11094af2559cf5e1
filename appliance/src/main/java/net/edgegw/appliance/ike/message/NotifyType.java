package net.edgegw.appliance.ike.message;

/** Notify Message Type (RFC 7296 §3.10.1 and the IANA registry): errors below 16384, status types above. */
public enum NotifyType implements WireEnum {
    UNSUPPORTED_CRITICAL_PAYLOAD(1),
    INVALID_IKE_SPI(4),
    INVALID_MAJOR_VERSION(5),
    INVALID_SYNTAX(7),
    INVALID_MESSAGE_ID(9),
    INVALID_SPI(11),
    NO_PROPOSAL_CHOSEN(14),
    INVALID_KE_PAYLOAD(17),
    AUTHENTICATION_FAILED(24),
    SINGLE_PAIR_REQUIRED(34),
    NO_ADDITIONAL_SAS(35),
    INTERNAL_ADDRESS_FAILURE(36),
    FAILED_CP_REQUIRED(37),
    TS_UNACCEPTABLE(38),
    INVALID_SELECTORS(39),
    TEMPORARY_FAILURE(43),
    CHILD_SA_NOT_FOUND(44),
    INITIAL_CONTACT(16384),
    SET_WINDOW_SIZE(16385),
    ADDITIONAL_TS_POSSIBLE(16386),
    IPCOMP_SUPPORTED(16387),
    NAT_DETECTION_SOURCE_IP(16388),
    NAT_DETECTION_DESTINATION_IP(16389),
    COOKIE(16390),
    USE_TRANSPORT_MODE(16391),
    HTTP_CERT_LOOKUP_SUPPORTED(16392),
    REKEY_SA(16393),
    ESP_TFC_PADDING_NOT_SUPPORTED(16394),
    NON_FIRST_FRAGMENTS_ALSO(16395),
    MOBIKE_SUPPORTED(16396),
    MULTIPLE_AUTH_SUPPORTED(16404),
    REDIRECT_SUPPORTED(16406),
    EAP_ONLY_AUTHENTICATION(16417),
    CHILDLESS_IKEV2_SUPPORTED(16418),
    IKEV2_FRAGMENTATION_SUPPORTED(16430),
    SIGNATURE_HASH_ALGORITHMS(16431),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final NotifyType[] VALUES = values();
    private final int value;

    NotifyType(int value) {
        this.value = value;
    }

    /** Error types are 1..16383 (RFC 7296 §3.10.1); an unknown error type still means the request failed. */
    public static boolean isError(int value) {
        return value > 0 && value < 16384;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static NotifyType of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
