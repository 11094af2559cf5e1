package net.edgegw.appliance.ike.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A known-answer file under {@code src/test/resources/vectors/}: '#' comments, blank-line separated blocks of
 * {@code key = value}.
 */
record VectorFile(Map<String, String> fields) {

    static List<VectorFile> load(String name) {
        try (InputStream in = VectorFile.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no vector file " + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return Arrays.stream(text.split("\\R\\s*\\R"))
                    .map(block -> block.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .map(l -> l.split("=", 2))
                            .collect(Collectors.toMap(kv -> kv[0].strip(), kv -> kv[1].strip(), (a, b) -> b,
                                    LinkedHashMap::new)))
                    .filter(m -> !m.isEmpty())
                    .map(VectorFile::new)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<VectorFile> load(String name, String kind) {
        return load(name).stream().filter(v -> kind.equals(v.fields.get("kind"))).toList();
    }

    String str(String k) {
        String v = fields.get(k);
        if (v == null) {
            throw new IllegalArgumentException(this + " lacks " + k);
        }
        return v;
    }

    byte[] hex(String k) {
        return HexFormat.of().parseHex(str(k).replace(" ", ""));
    }

    int integer(String k) {
        return Integer.parseInt(str(k));
    }

    long int64(String k) {
        return Long.parseLong(str(k));
    }

    @Override
    public String toString() {
        return fields.getOrDefault("name", "?");
    }
}
