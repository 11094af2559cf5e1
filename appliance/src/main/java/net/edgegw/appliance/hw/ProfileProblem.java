package net.edgegw.appliance.hw;

/**
 * Why a profile file was rejected: the file, the field (a dotted path such as {@code nics[1].pci}) and the reason.
 */
public record ProfileProblem(String file, String field, String reason) {
    @Override
    public String toString() {
        return file + ": " + field + ": " + reason;
    }
}
