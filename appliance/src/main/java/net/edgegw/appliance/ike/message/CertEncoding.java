package net.edgegw.appliance.ike.message;

/** Certificate Encoding of CERT and CERTREQ (RFC 7296 §3.6). */
public enum CertEncoding implements WireEnum {
    PKCS7_X509(1),
    PGP(2),
    DNS_SIGNED_KEY(3),
    X509_SIGNATURE(4),
    KERBEROS_TOKEN(6),
    CRL(7),
    ARL(8),
    SPKI(9),
    X509_ATTRIBUTE(10),
    RAW_RSA_KEY(11),
    HASH_URL_X509_CERT(12),
    HASH_URL_X509_BUNDLE(13),
    /** Any value this implementation does not know; never sent. */
    UNKNOWN(-1);

    private static final CertEncoding[] VALUES = values();
    private final int value;

    CertEncoding(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The constant for a wire value, {@link #UNKNOWN} when there is none. */
    public static CertEncoding of(int value) {
        return WireEnum.lookup(VALUES, value, UNKNOWN);
    }
}
