package net.edgegw.appliance.update;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Update bundle commands, for the image build and the appliance's shell-less operation:
 * <pre>
 *   keygen PRIV.pem PUB.pem                                  a new Ed25519 signing key pair
 *   pubkey PRIV.pem PUB.pem                                  the public key that goes into the image
 *   create PRIV.pem OUT VERSION ROOT KERNEL INITRD MANIFEST  sign a bundle
 *   verify PUB.pem BUNDLE                                    check it; exit 1 with the reason if refused
 *   install BUNDLE [RESULT]                                  (on the appliance, root) verify with
 *                                                            /etc/edgegw/update-key.pub.pem, write the other slot;
 *                                                            the outcome sentence also goes to RESULT
 *   settle SECONDS                                           (at boot, root) on a trial boot, wait for
 *                                                            /run/edgegw/healthy; make this slot the default or
 *                                                            reboot back to the old one; the state goes to
 *                                                            /run/edgegw/trial for the admin API
 * </pre>
 */
public final class BundleCli {
    private BundleCli() {}

    public static void main(String[] a) throws Exception {
        String cmd = a.length == 0 ? "" : a[0];
        switch (cmd) {
            case "keygen" -> {
                KeyPair kp = UpdateKeys.generate();
                UpdateKeys.writePrivate(kp.getPrivate(), Path.of(a[1]));
                UpdateKeys.writePublic(kp.getPublic(), Path.of(a[2]));
            }
            case "pubkey" -> UpdateKeys.writePublic(publicOf(UpdateKeys.readPrivate(Path.of(a[1]))),
                    Path.of(a[2]));
            case "create" -> {
                Map<String, Path> parts = new LinkedHashMap<>();
                for (int i = 0; i < UpdateBundle.PARTS.size(); i++) {
                    parts.put(UpdateBundle.PARTS.get(i), Path.of(a[4 + i]));
                }
                UpdateBundle.create(Path.of(a[2]), a[3], parts, UpdateKeys.readPrivate(Path.of(a[1])));
            }
            case "verify" -> {
                UpdateBundle.Verification v = UpdateBundle.verify(Path.of(a[2]), UpdateKeys.readPublic(Path.of(a[1])));
                System.out.println(v.ok() ? "bundle ok: version " + v.bundle().version() : "refused: " + v.refusal());
                System.exit(v.ok() ? 0 : 1);
            }
            case "install" -> {
                SlotInstaller.Outcome o;
                try {
                    String cmdline = Files.readString(Path.of("/proc/cmdline"), StandardCharsets.US_ASCII);
                    o = SlotInstaller.onAppliance().install(Path.of(a[1]),
                            UpdateKeys.readPublic(Path.of("/etc/edgegw/update-key.pub.pem")),
                            SlotInstaller.activeSlot(cmdline));
                } catch (Exception e) { // an I/O error on the appliance: the admin API must say which
                    e.printStackTrace();
                    o = new SlotInstaller.Outcome(false, "update failed: " + e);
                }
                System.out.println(o.message());
                if (a.length > 2) {
                    writeState(Path.of(a[2]), o.message()); // for the admin API (GET /api/v1/system/update)
                }
                System.exit(o.ok() ? 0 : 1);
            }
            case "settle" -> {
                Path healthy = Path.of("/run/edgegw/healthy");
                Path state = Path.of("/run/edgegw/trial");
                EfiBootControl boot = EfiBootControl.onAppliance();
                java.util.Optional<String> selected = boot.selectedEntry();
                if (selected.isPresent() && !selected.equals(boot.defaultEntry())) {
                    writeState(state, "on-trial " + selected.get());
                }
                TrialBoot.Outcome o = TrialBoot.settle(boot, () -> Files.exists(healthy),
                        java.time.Duration.ofSeconds(Long.parseLong(a[1])), java.time.Duration.ofSeconds(2),
                        () -> {
                            System.out.println("update: new slot not healthy in time, rebooting to the previous one");
                            try {
                                new ProcessBuilder("systemctl", "reboot").inheritIO().start();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
                String outcome = "update: trial boot " + o.name().toLowerCase(java.util.Locale.ROOT);
                writeState(state, switch (o) {
                    case CONFIRMED -> "confirmed: " + selected.orElse("") + " is now the default";
                    case ROLLED_BACK -> "rolled back: " + selected.orElse("") + " never reported healthy";
                    case NOT_ON_TRIAL -> "";
                });
                System.out.println(outcome);
            }
            default -> {
                System.err.println("usage: BundleCli keygen|pubkey|create|verify|install|settle ...");
                System.exit(2);
            }
        }
    }

    /** Writes a one-line state file readable by the unprivileged daemon (write to a temporary, then rename). */
    private static void writeState(Path f, String line) throws java.io.IOException {
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The public key of an Ed25519 private key (PKCS#8 v1 files do not carry it): derived with Bouncy Castle. */
    private static PublicKey publicOf(PrivateKey k) throws Exception {
        AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(k.getEncoded());
        Ed25519PublicKeyParameters pub = ((Ed25519PrivateKeyParameters) priv).generatePublicKey();
        byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub).getEncoded();
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }
}
