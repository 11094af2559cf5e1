package net.edgegw.appliance.update;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Ed25519 update-signing keys as PEM: PKCS#8 "PRIVATE KEY" (RFC 5958) and SPKI "PUBLIC KEY" (RFC 8410). */
public final class UpdateKeys {
    private UpdateKeys() {}

    public static KeyPair generate() throws GeneralSecurityException {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    public static void writePrivate(PrivateKey k, Path p) throws IOException {
        Files.writeString(p, pem("PRIVATE KEY", k.getEncoded()), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    }

    public static void writePublic(PublicKey k, Path p) throws IOException {
        Files.writeString(p, pem("PUBLIC KEY", k.getEncoded()), StandardCharsets.US_ASCII);
    }

    public static PrivateKey readPrivate(Path p) throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(p, "PRIVATE KEY")));
    }

    public static PublicKey readPublic(Path p) throws IOException, GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(p, "PUBLIC KEY")));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(Path p, String type) throws IOException {
        String s = Files.readString(p, StandardCharsets.US_ASCII);
        int a = s.indexOf("-----BEGIN " + type + "-----");
        int b = s.indexOf("-----END " + type + "-----");
        if (a < 0 || b < a) {
            throw new IOException(p + ": no " + type + " PEM block");
        }
        return Base64.getMimeDecoder().decode(s.substring(a + type.length() + 16, b));
    }
}
