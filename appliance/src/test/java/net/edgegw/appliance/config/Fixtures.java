package net.edgegw.appliance.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The example configuration of CONFIG.md (src/test/resources/config/example.yaml), as text and as a value. */
public final class Fixtures {
    /** The PSK of peers[cloud-gw] in the example. */
    public static final String EXAMPLE_PSK = "correct horse battery staple 42";

    /** Plain-text secrets both ways: for tests only (the store seals them with the device key). */
    public static final SecretCodec PLAIN = new SecretCodec() {
        @Override
        public String encode(Secret secret) {
            return secret.reveal();
        }

        @Override
        public Secret decode(String text) {
            return Secret.of(text);
        }
    };

    private Fixtures() {}

    public static String exampleYaml() {
        try (InputStream in = Fixtures.class.getResourceAsStream("/config/example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Config example() {
        ConfigYaml.Read r = ConfigYaml.read(exampleYaml(), SecretCodec.OMIT);
        if (!r.ok()) {
            throw new AssertionError("example.yaml does not read: " + r.problems());
        }
        return r.config();
    }

    /** The example with the PSK of its one peer replaced. */
    public static Config withPsk(Config c, String psk) {
        Peer p = c.peers().get(0);
        return c.withPeers(List.of(new Peer(p.name(), p.address(), p.localId(), p.remoteId(),
                Peer.Auth.psk(Secret.of(psk)), p.ikeProposals(), p.ikeLifetimeSeconds(), p.dpd(), p.natTraversal(),
                p.description())));
    }

    /** The example with a cluster's description replaced: a small change that is always valid. */
    public static Config withDescription(Config c, String description) {
        Cluster cl = c.clusters().get(0);
        List<Cluster> clusters = new java.util.ArrayList<>(c.clusters());
        clusters.set(0, new Cluster(cl.name(), cl.podCidrs(), cl.serviceCidrs(), cl.nodeCidrs(), description));
        return c.withClusters(clusters);
    }
}
