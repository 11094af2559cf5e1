package net.edgegw.appliance.ike.crypto;

import java.security.SecureRandom;

/** A deterministic random source for known answers: {@code nextBytes} repeats a pattern, {@code nextLong} is fixed. */
final class FixedRandom extends SecureRandom {
    private final byte[] bytes;
    private final long nextLong;

    FixedRandom(byte[] bytes, long nextLong) {
        this.bytes = bytes.clone();
        this.nextLong = nextLong;
    }

    @Override
    public void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = bytes.length == 0 ? 0 : bytes[i % bytes.length];
        }
    }

    @Override
    public long nextLong() {
        return nextLong;
    }
}
