package net.edgegw.appliance.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.config.ConfigDiff.Change;
import net.edgegw.appliance.config.ConfigDiff.Kind;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

    @Test
    void equalConfigsHaveNoDiff() {
        assertEquals(List.of(), ConfigDiff.diff(Fixtures.example(), Fixtures.example()));
    }

    @Test
    void addedRemovedAndChangedFieldByField() {
        Config a = Fixtures.example();
        List<Cluster> clusters = new ArrayList<>(a.clusters());
        clusters.add(new Cluster("edge", List.of("10.77.0.0/16"), List.of(), List.of(), null));
        Config b = Fixtures.withDescription(a, "HQ")
                .withClusters(clusters)
                .withConnections(List.of())
                .withSettings(new Settings(a.settings().interfaces(), new Settings.DataPlane(Settings.Backend.TUN, 2),
                        a.settings().logging()));
        b = Fixtures.withDescription(b, "HQ");
        List<Change> d = ConfigDiff.diff(a, b);
        assertEquals(new Change(Kind.CHANGED, "clusters[onprem].description",
                "on-premises Kubernetes (dual stack)", "HQ"), d.get(0));
        assertEquals(Kind.ADDED, d.get(1).kind());
        assertEquals("clusters[edge]", d.get(1).field());
        assertEquals(Kind.REMOVED, d.get(2).kind());
        assertEquals("connections[pods]", d.get(2).field());
        assertEquals(new Change(Kind.CHANGED, "settings.dataPlane.workers", "0", "2"), d.get(3));
        assertEquals(4, d.size(), d.toString());
    }

    @Test
    void aChangedSecretShowsAsChangedButRedacted() {
        Config a = Fixtures.example();
        Config b = Fixtures.withPsk(a, "another long pre-shared key");
        List<Change> d = ConfigDiff.diff(a, b);
        assertEquals(List.of(new Change(Kind.CHANGED, "peers[cloud-gw].auth.psk", Secret.REDACTED, Secret.REDACTED)), d);
        String text = ConfigDiff.render(ConfigDiff.diff(Config.EMPTY, b)) + ConfigDiff.render(d);
        assertFalse(text.contains("another long pre-shared key"), text);
        assertTrue(text.contains("+ peers[cloud-gw]"), text);
    }

    @Test
    void toStringOfModelTypesRedactsSecrets() {
        Config c = Fixtures.example();
        String s = c.toString() + c.peers().get(0) + c.peers().get(0).auth() + Secret.of("hunter2hunter2");
        assertFalse(s.contains(Fixtures.EXAMPLE_PSK));
        assertFalse(s.contains("hunter2"));
        assertTrue(s.contains("psk=" + Secret.REDACTED), s);
        assertEquals(Secret.of("x"), Secret.of("x"));
    }
}
