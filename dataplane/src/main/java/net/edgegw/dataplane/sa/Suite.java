package net.edgegw.dataplane.sa;

/**
 * The cryptographic suites an SA can use, with their wire lengths. Names follow strongSwan's proposal keywords.
 *
 * <p>Keying material (RFC 7296 §2.17 KEYMAT order): for AEAD and GMAC suites the encryption key is the cipher
 * key followed by the 4-byte salt (RFC 4106 §8.1, RFC 4543 §3.2, RFC 7634 §2); CBC suites have a separate
 * integrity key of the HMAC's full output length (RFC 4868 §2.1.2).
 */
public enum Suite {
    // ESP AEAD, RFC 4106: 8-byte IV = our sequence counter, 16-byte ICV, 4-byte alignment.
    AES_GCM_16_128("aes128gcm16", Kind.AEAD_GCM, 16, 4, 8, 16, 4, null, 0, 20),
    AES_GCM_16_192("aes192gcm16", Kind.AEAD_GCM, 24, 4, 8, 16, 4, null, 0, 20),
    AES_GCM_16_256("aes256gcm16", Kind.AEAD_GCM, 32, 4, 8, 16, 4, null, 0, 20),
    // ESP AEAD, RFC 7634.
    CHACHA20_POLY1305("chacha20poly1305", Kind.AEAD_CHACHA, 32, 4, 8, 16, 4, null, 0, 28),
    // ESP AES-CBC (RFC 3602) + HMAC-SHA-2 (RFC 4868): 16-byte IV, 16-byte cipher block alignment.
    AES_CBC_128_HMAC_SHA256("aes128-sha256", Kind.CBC_HMAC, 16, 0, 16, 16, 16, "HmacSHA256", 32, 12),
    AES_CBC_256_HMAC_SHA256("aes256-sha256", Kind.CBC_HMAC, 32, 0, 16, 16, 16, "HmacSHA256", 32, 12),
    AES_CBC_128_HMAC_SHA384("aes128-sha384", Kind.CBC_HMAC, 16, 0, 16, 24, 16, "HmacSHA384", 48, 12),
    AES_CBC_256_HMAC_SHA384("aes256-sha384", Kind.CBC_HMAC, 32, 0, 16, 24, 16, "HmacSHA384", 48, 12),
    AES_CBC_128_HMAC_SHA512("aes128-sha512", Kind.CBC_HMAC, 16, 0, 16, 32, 16, "HmacSHA512", 64, 12),
    AES_CBC_256_HMAC_SHA512("aes256-sha512", Kind.CBC_HMAC, 32, 0, 16, 32, 16, "HmacSHA512", 64, 12),
    // ESP integrity only, RFC 4543 (ENCR_NULL_AUTH_AES_GMAC).
    AES_GMAC_128("aes128gmac", Kind.GMAC, 16, 4, 8, 16, 4, null, 0, 21),
    AES_GMAC_256("aes256gmac", Kind.GMAC, 32, 4, 8, 16, 4, null, 0, 21),
    // AH, RFC 4302 with RFC 4868 HMAC-SHA-2 truncated ICVs.
    AH_HMAC_SHA256_128("ah-sha256", Kind.AH_HMAC, 0, 0, 0, 16, 0, "HmacSHA256", 32, 12),
    AH_HMAC_SHA384_192("ah-sha384", Kind.AH_HMAC, 0, 0, 0, 24, 0, "HmacSHA384", 48, 13),
    AH_HMAC_SHA512_256("ah-sha512", Kind.AH_HMAC, 0, 0, 0, 32, 0, "HmacSHA512", 64, 14);

    /** How a suite protects a packet. */
    public enum Kind { AEAD_GCM, AEAD_CHACHA, CBC_HMAC, GMAC, AH_HMAC }

    public final String keyword;
    public final Kind kind;
    /** Cipher key length in bytes, without salt. */
    public final int cipherKeyLen;
    public final int saltLen;
    public final int ivLen;
    public final int icvLen;
    /** Alignment the ESP payload + trailer must reach (RFC 4303 §2.4); 0 for AH. */
    public final int align;
    /** JCE MAC algorithm for HMAC suites, else null. */
    public final String macAlgorithm;
    public final int authKeyLen;
    /** IKEv2 transform ID (ENCR_* for ESP ciphers, AUTH_* for AH), RFC 7296 §3.3.2 / IANA registry. */
    public final int ikeTransformId;

    Suite(String keyword, Kind kind, int cipherKeyLen, int saltLen, int ivLen, int icvLen, int align,
          String macAlgorithm, int authKeyLen, int ikeTransformId) {
        this.keyword = keyword;
        this.kind = kind;
        this.cipherKeyLen = cipherKeyLen;
        this.saltLen = saltLen;
        this.ivLen = ivLen;
        this.icvLen = icvLen;
        this.align = align;
        this.macAlgorithm = macAlgorithm;
        this.authKeyLen = authKeyLen;
        this.ikeTransformId = ikeTransformId;
    }

    public boolean isAh() {
        return kind == Kind.AH_HMAC;
    }

    public boolean isAead() {
        return kind == Kind.AEAD_GCM || kind == Kind.AEAD_CHACHA;
    }

    /** Length of the "encryption key" in KEYMAT: cipher key + salt. */
    public int encKeyLen() {
        return cipherKeyLen + saltLen;
    }

    public static Suite ofKeyword(String keyword) {
        for (Suite s : values()) {
            if (s.keyword.equalsIgnoreCase(keyword)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown suite '" + keyword + "'");
    }
}
