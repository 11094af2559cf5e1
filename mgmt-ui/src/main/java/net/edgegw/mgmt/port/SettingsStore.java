package net.edgegw.mgmt.port;

/** The appliance-wide {@link Settings}: read the committed ones, replace them as one validated revision. */
public interface SettingsStore {
    Settings settings();

    CommitResult replace(Settings settings, String author, String source);

    /** Defaults only, and every change refused: for backends without settings. */
    SettingsStore NONE = new SettingsStore() {
        @Override
        public Settings settings() {
            return Settings.DEFAULT;
        }

        @Override
        public CommitResult replace(Settings settings, String author, String source) {
            return CertificateStore.refused();
        }
    };
}
