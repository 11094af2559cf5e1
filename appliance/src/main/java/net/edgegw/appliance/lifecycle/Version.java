package net.edgegw.appliance.lifecycle;

/** The build's version, from the jar manifest ({@code Implementation-Version}); "dev" when run from classes. */
final class Version {
    private Version() {}

    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
