package net.edgegw.appliance.ike.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.NoncePayload;
import net.edgegw.appliance.ike.codec.IkeCodec;

/**
 * Reads the key material strongSwan's charon logs at {@code ike = 4} (hex dumps of the shared secret, SKEYSEED,
 * SK_*, and the AUTH octets, which hold both IKE_SA_INIT messages) into a known-answer vector: {@code key = hex}
 * lines, with the nonces and SPIs taken from the messages by our codec.
 */
final class StrongSwanKeyLog {
    private static final Pattern HEADER = Pattern.compile("(\\d+)\\[IKE\\] <[^>]*> (.+?) => (\\d+) bytes @");
    private static final Pattern DUMP = Pattern.compile("(\\d+)\\[IKE\\] <[^>]*>\\s+\\d+: (.*)$");

    private StrongSwanKeyLog() {}

    /** Every dump in the log, in order, as (name, bytes). */
    static List<Map.Entry<String, byte[]>> dumps(List<String> lines) {
        List<Map.Entry<String, byte[]>> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher h = HEADER.matcher(lines.get(i));
            if (!h.find()) {
                continue;
            }
            String thread = h.group(1);
            int n = Integer.parseInt(h.group(3));
            byte[] b = new byte[n];
            int have = 0;
            for (int j = i + 1; j < lines.size() && have < n; j++) {
                Matcher d = DUMP.matcher(lines.get(j));
                if (!d.find() || !d.group(1).equals(thread)) {
                    continue;
                }
                String[] hex = d.group(2).substring(0, Math.min(48, d.group(2).length())).trim().split(" +");
                for (int k = 0; k < hex.length && have < n; k++) {
                    b[have++] = (byte) Integer.parseInt(hex[k], 16);
                }
            }
            out.add(Map.entry(h.group(2), b));
        }
        return out;
    }

    /** The vector of the first IKE SA in the log; {@code proposal} and {@code psk} are what the run configured. */
    static Map<String, String> vector(Path log, String proposal, String psk) throws Exception {
        Map<String, String> v = new LinkedHashMap<>();
        HexFormat hex = HexFormat.of();
        v.put("proposal", proposal);
        v.put("psk", hex.formatHex(psk.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        byte[] octetsI = null;
        byte[] octetsR = null;
        byte[] id = null;
        String side = null; // "i" or "r": whose octets the next AUTH dump is computed over
        for (Map.Entry<String, byte[]> e : dumps(Files.readAllLines(log))) {
            String k = e.getKey();
            switch (k) {
                case "shared Diffie Hellman secret" -> v.putIfAbsent("gir", hex.formatHex(e.getValue()));
                case "SKEYSEED" -> v.putIfAbsent("skeyseed", hex.formatHex(e.getValue()));
                case "IDx'" -> id = e.getValue();
                case "octets = message + nonce + prf(Sk_px, IDx')" -> {
                    boolean response = (e.getValue()[19] & IkeHeader.FLAG_RESPONSE) != 0;
                    side = response ? "r" : "i";
                    if (response && octetsR == null) {
                        octetsR = e.getValue();
                    } else if (!response && octetsI == null) {
                        octetsI = e.getValue();
                    }
                    v.putIfAbsent("id_" + side, hex.formatHex(id));
                }
                case "AUTH = prf(prf(secret, keypad), octets)" -> v.putIfAbsent("auth_" + side, hex.formatHex(e.getValue()));
                default -> {
                    if (k.startsWith("Sk_") && k.endsWith(" secret")) {
                        v.putIfAbsent(k.substring(0, k.indexOf(' ')).toLowerCase(java.util.Locale.ROOT), hex.formatHex(e.getValue()));
                    }
                }
            }
        }
        if (octetsI == null || octetsR == null) {
            throw new IOException("no AUTH octets in " + log);
        }
        byte[] m1 = message(octetsI);
        byte[] m2 = message(octetsR);
        IkeMessage req = IkeCodec.decode(m1, null);
        IkeMessage resp = IkeCodec.decode(m2, null);
        v.put("spii", String.format("%016x", req.spiI));
        v.put("spir", String.format("%016x", resp.spiR));
        v.put("ni", hex.formatHex(req.get(NoncePayload.class).data()));
        v.put("nr", hex.formatHex(resp.get(NoncePayload.class).data()));
        v.put("octets_i", hex.formatHex(octetsI));
        v.put("octets_r", hex.formatHex(octetsR));
        return v;
    }

    /** The IKE_SA_INIT message at the start of AUTH octets (its length from its header). */
    static byte[] message(byte[] octets) {
        int len = (octets[24] & 0xff) << 24 | (octets[25] & 0xff) << 16 | (octets[26] & 0xff) << 8 | (octets[27] & 0xff);
        return java.util.Arrays.copyOf(octets, len);
    }
}
