package net.edgegw.dataplane.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the known-answer files under {@code src/test/resources/vectors/}: blocks of {@code key = value} lines. */
public final class Vectors {
    private Vectors() {}

    /** One block of a vector file. */
    public record Block(Map<String, String> fields) {
        public String get(String k) {
            String v = fields.get(k);
            if (v == null) {
                throw new IllegalArgumentException("vector " + fields.get("name") + " lacks '" + k + "'");
            }
            return v;
        }

        public byte[] hex(String k) {
            return HexFormat.of().parseHex(get(k));
        }

        public boolean has(String k) {
            return fields.containsKey(k);
        }

        @Override
        public String toString() {
            return fields.getOrDefault("name", "?");
        }
    }

    public static List<Block> load(String resource) {
        InputStream in = Vectors.class.getResourceAsStream("/vectors/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing vector file " + resource);
        }
        List<Block> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Map<String, String> cur = new LinkedHashMap<>();
            for (String line; (line = r.readLine()) != null; ) {
                String t = line.trim();
                if (t.startsWith("#")) {
                    continue;
                }
                if (t.isEmpty()) {
                    if (!cur.isEmpty()) {
                        out.add(new Block(cur));
                        cur = new LinkedHashMap<>();
                    }
                    continue;
                }
                int eq = t.indexOf('=');
                cur.put(t.substring(0, eq).trim(), t.substring(eq + 1).trim());
            }
            if (!cur.isEmpty()) {
                out.add(new Block(cur));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
