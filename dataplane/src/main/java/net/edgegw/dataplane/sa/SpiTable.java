package net.edgegw.dataplane.sa;

/**
 * An immutable open-addressing map from SPI to SA: lookups on the packet path without boxing or locks.
 * Changes build a new table (copy-on-write); the SAD publishes it with one volatile write.
 */
final class SpiTable {
    static final SpiTable EMPTY = new SpiTable(new int[8], new SecurityAssociation[8], 0);

    private final int[] keys;
    private final SecurityAssociation[] values;
    private final int size;
    private final int mask;

    private SpiTable(int[] keys, SecurityAssociation[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
        this.mask = keys.length - 1;
    }

    int size() {
        return size;
    }

    SecurityAssociation get(int spi) {
        int i = mix(spi) & mask;
        while (true) {
            SecurityAssociation v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == spi) {
                return v;
            }
            i = (i + 1) & mask;
        }
    }

    SpiTable with(SecurityAssociation sa) {
        int cap = keys.length;
        while ((size + 1) * 2 > cap) {
            cap <<= 1;
        }
        SpiTable t = new SpiTable(new int[cap], new SecurityAssociation[cap], 0);
        int n = 0;
        for (SecurityAssociation v : values) {
            if (v != null && v.spi != sa.spi) {
                t.put(v);
                n++;
            }
        }
        t.put(sa);
        return new SpiTable(t.keys, t.values, n + 1);
    }

    SpiTable without(int spi) {
        SpiTable t = new SpiTable(new int[keys.length], new SecurityAssociation[keys.length], 0);
        int n = 0;
        for (SecurityAssociation v : values) {
            if (v != null && v.spi != spi) {
                t.put(v);
                n++;
            }
        }
        return new SpiTable(t.keys, t.values, n);
    }

    Iterable<SecurityAssociation> values() {
        java.util.List<SecurityAssociation> l = new java.util.ArrayList<>(size);
        for (SecurityAssociation v : values) {
            if (v != null) {
                l.add(v);
            }
        }
        return l;
    }

    private void put(SecurityAssociation sa) {
        int i = mix(sa.spi) & mask;
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = sa.spi;
        values[i] = sa;
    }

    private static int mix(int spi) {
        int h = spi * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
