package net.edgegw.mgmt.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Argon2idTest {
    private final Argon2id hasher = new Argon2id(new SecureRandom());

    @Test
    void hashesInPhcFormatWithFreshSaltAndVerifies() {
        String h = hasher.hash("correct horse battery staple");
        assertTrue(h.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), h);
        assertNotEquals(h, hasher.hash("correct horse battery staple"), "fresh salt each time");
        assertTrue(Argon2id.verify(h, "correct horse battery staple"));
        assertFalse(Argon2id.verify(h, "correct horse battery stapl"));
        assertFalse(Argon2id.verify(h, ""));
    }

    @Test
    void malformedOrAbusiveHashesNeverVerify() {
        String h = new Argon2id(64, 1, 1, new SecureRandom()).hash("pw-pw-pw-pw-pw");
        assertTrue(Argon2id.verify(h, "pw-pw-pw-pw-pw"));
        assertFalse(Argon2id.verify(h.replace("$argon2id$", "$argon2i$"), "pw-pw-pw-pw-pw"));
        assertFalse(Argon2id.verify(h.replace("m=64", "m=99999999"), "pw-pw-pw-pw-pw"), "memory cap");
        assertFalse(Argon2id.verify(h.replace("m=64", "m=128"), "pw-pw-pw-pw-pw"), "parameters are bound");
        assertFalse(Argon2id.verify(null, "x"));
        assertFalse(Argon2id.verify("", "x"));
        assertFalse(Argon2id.verify("$argon2id$v=19$m=64,t=1,p=1$$", "x"));
    }
}
