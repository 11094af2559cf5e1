package net.edgegw.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Import files are operator input: 2,000 random edits of the example (characters deleted, inserted, replaced,
 * lines swapped) must each come back as a valid config or as problems, never as an exception (the validator also
 * runs over what half-broken files could give), and a rejected one must say what is wrong.
 */
class ConfigFuzzTest {
    static final String ALPHABET = " \n\t:-[]{}#&*!|>'\"%@`,.?/0123456789abcxyz\\u00e9";

    @Test
    @Timeout(60)
    void mangledFilesNeverThrow() {
        String base = Fixtures.exampleYaml();
        Random r = new Random(5);
        int ok = 0;
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            String text = mangle(base, r, 1 + r.nextInt(4));
            ConfigYaml.Read read = ConfigYaml.readAndValidate(text, SecretCodec.OMIT, c -> c); // validates partial reads too
            if (read.ok()) {
                ConfigYaml.write(read.config(), SecretCodec.OMIT);
                ok++;
            } else {
                assertFalse(read.problems().isEmpty());
                assertTrue(read.problems().stream().noneMatch(p -> p.message().isBlank()), read.problems().toString());
                rejected++;
            }
        }
        System.out.printf("config fuzz: 2000 mangled files, %d read, %d rejected with problems%n", ok, rejected);
        assertEquals(2_000, ok + rejected);
        assertTrue(rejected > 100 && ok > 100, "both outcomes exercised: " + ok + " / " + rejected);
    }

    private static String mangle(String s, Random r, int edits) {
        StringBuilder b = new StringBuilder(s);
        for (int e = 0; e < edits && b.length() > 0; e++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(4)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                case 2 -> b.setCharAt(at, ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                default -> {
                    String[] lines = b.toString().split("\n", -1);
                    int a = r.nextInt(lines.length);
                    int c = r.nextInt(lines.length);
                    String t = lines[a];
                    lines[a] = lines[c];
                    lines[c] = t;
                    b = new StringBuilder(String.join("\n", lines));
                }
            }
        }
        return b.toString();
    }
}
