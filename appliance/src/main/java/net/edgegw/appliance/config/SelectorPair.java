package net.edgegw.appliance.config;

/**
 * One traffic selector pair of a CHILD SA (RFC 7296 §2.9): a local and a remote CIDR of the same address family,
 * each in canonical form.
 */
public record SelectorPair(String local, String remote) {

    @Override
    public String toString() {
        return local + " <-> " + remote;
    }
}
