package net.edgegw.appliance.mgmt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import net.edgegw.appliance.config.Config;
import net.edgegw.appliance.config.ConfigYaml;
import net.edgegw.appliance.config.Outcome;
import net.edgegw.appliance.config.Secret;
import net.edgegw.appliance.config.SecretCodec;
import net.edgegw.appliance.store.ConfigStore;
import net.edgegw.appliance.store.Revision;
import net.edgegw.mgmt.port.CommitResult;
import net.edgegw.mgmt.port.ConfigDocuments;
import net.edgegw.mgmt.port.Problem;

/**
 * The port's {@link ConfigDocuments} over the store's YAML export and import (CONFIG.md). Replace is the store's
 * import as it is; merge reads the document, lays its items over the current configuration by name and imports
 * the result, so it is validated as a whole and committed as one revision like any import. Problems keep the
 * document's own paths ({@code peers[cloud-gw].auth.psk}).
 */
final class StoreDocuments implements ConfigDocuments {
    /** A sealed secret as the store writes them (DeviceKey): only a whole-document import reads those. */
    private static final String SEALED = "enc:v1:";
    private static final Pattern SETTINGS = Pattern.compile("(?m)^settings\\s*:");

    /**
     * Secrets in clear on the way between {@link #merge} and the store's import: the merged document never leaves
     * this process. Sealed secrets cannot be read here.
     */
    private static final SecretCodec CLEAR = new SecretCodec() {
        @Override
        public String encode(Secret secret) {
            return secret.reveal();
        }

        @Override
        public Secret decode(String text) {
            return text.startsWith(SEALED) ? null : Secret.of(text);
        }
    };

    private final StoreBackend backend;
    private final ConfigStore store;

    StoreDocuments(StoreBackend backend, ConfigStore store) {
        this.backend = backend;
        this.store = store;
    }

    @Override
    public String export(String author, String source) {
        return store.exportYaml(false, null, author, source).value();
    }

    @Override
    public CommitResult load(String yaml, Mode mode, String author, String source) {
        synchronized (backend) {
            String doc = yaml;
            if (mode == Mode.MERGE) {
                ConfigYaml.Read read = ConfigYaml.read(yaml, CLEAR);
                if (!read.ok()) {
                    return rejected(read.problems());
                }
                doc = ConfigYaml.write(merge(backend.current(), read.config(), SETTINGS.matcher(yaml).find()), CLEAR);
            }
            Outcome<Revision> done = store.importYaml(doc, author, source);
            if (!done.ok()) {
                return rejected(done.problems());
            }
            backend.committed();
            return new CommitResult.Committed(done.value().number());
        }
    }

    /** {@code current} with the items of {@code doc} put in by name (and its settings, if it has a settings key). */
    static Config merge(Config current, Config doc, boolean withSettings) {
        return new Config(over(current.clusters(), doc.clusters(), c -> c.name()),
                over(current.peers(), doc.peers(), p -> p.name()),
                over(current.connections(), doc.connections(), c -> c.name()),
                withSettings ? doc.settings() : current.settings(),
                over(current.certificates(), doc.certificates(), c -> c.name()));
    }

    private static <T> List<T> over(List<T> base, List<T> items, Function<T, String> name) {
        List<T> out = new ArrayList<>(base);
        for (T item : items) {
            int i = out.stream().map(name).toList().indexOf(name.apply(item));
            if (i >= 0) {
                out.set(i, item);
            } else {
                out.add(item);
            }
        }
        return out;
    }

    private static CommitResult rejected(List<net.edgegw.appliance.config.Problem> problems) {
        return new CommitResult.Rejected(problems.stream().map(p -> new Problem(p.field(), p.message())).toList());
    }
}
