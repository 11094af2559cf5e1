package net.edgegw.dataplane.sa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The Security Association Database (RFC 4301 §4.4.2). Inbound SAs are found by SPI (the destination address
 * is then checked against the SA); outbound SAs are reached through SPD entries and also kept here by SPI for
 * management. Workers read immutable snapshots; the control plane installs and removes under a lock and
 * publishes a new snapshot.
 */
public final class Sad {
    private final LongSupplier clock;
    private volatile SpiTable inbound = SpiTable.EMPTY;
    private volatile SpiTable outbound = SpiTable.EMPTY;
    private volatile SaEventListener listener;

    public Sad() {
        this(System::nanoTime);
    }

    /** A SAD with its own clock (tests use a manual one). */
    public Sad(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    public void listener(SaEventListener l) {
        this.listener = l;
    }

    /** Builds the runtime SA and publishes it. A second SA with the same SPI and direction is refused. */
    public synchronized SecurityAssociation install(SaConfig cfg) {
        SpiTable t = cfg.direction() == Direction.INBOUND ? inbound : outbound;
        if (t.get(cfg.spi()) != null) {
            throw new IllegalArgumentException(String.format("an %s SA with SPI 0x%08x exists", cfg.direction(), cfg.spi()));
        }
        SecurityAssociation sa = new SecurityAssociation(cfg, clock.getAsLong());
        if (cfg.direction() == Direction.INBOUND) {
            inbound = t.with(sa);
        } else {
            outbound = t.with(sa);
        }
        return sa;
    }

    /** Removes an SA; packets still in flight for it are dropped. Returns the removed SA or null. */
    public synchronized SecurityAssociation remove(Direction dir, int spi) {
        SpiTable t = dir == Direction.INBOUND ? inbound : outbound;
        SecurityAssociation sa = t.get(spi);
        if (sa == null) {
            return null;
        }
        sa.kill();
        if (dir == Direction.INBOUND) {
            inbound = t.without(spi);
        } else {
            outbound = t.without(spi);
        }
        return sa;
    }

    /** Packet path: the inbound SA for an SPI, or null. */
    public SecurityAssociation inbound(int spi) {
        return inbound.get(spi);
    }

    public SecurityAssociation outbound(int spi) {
        return outbound.get(spi);
    }

    /**
     * Checks the inbound SA's destination: with {@code dst} the outer destination address bytes at
     * {@code b[off, off+dstLen)}. An SA whose configured destination is all zeros accepts any.
     */
    public static boolean destinationMatches(SecurityAssociation sa, byte[] b, int off, int dstLen) {
        byte[] d = sa.config.dst();
        if (d.length != dstLen) {
            return false;
        }
        return sa.anyDestination || Arrays.equals(d, 0, dstLen, b, off, off + dstLen);
    }

    public List<SecurityAssociation> list() {
        List<SecurityAssociation> l = new ArrayList<>();
        inbound.values().forEach(l::add);
        outbound.values().forEach(l::add);
        return l;
    }

    /** Housekeeping tick: time lifetimes, then every pending event to the listener, once each. */
    public synchronized void poll() {
        long now = clock.getAsLong();
        SaEventListener l = listener;
        for (SecurityAssociation sa : list()) {
            sa.poll(now, l);
        }
    }
}
