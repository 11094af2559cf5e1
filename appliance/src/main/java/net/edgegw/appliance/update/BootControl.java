package net.edgegw.appliance.update;

import java.io.IOException;
import java.util.Optional;

/**
 * The boot loader seam the A/B logic needs (systemd-boot's Boot Loader Interface EFI variables): which entry
 * booted, which is the default, and a one-shot entry for the next boot only. {@link EfiBootControl} is the real one;
 * tests use a recording double.
 */
public interface BootControl {
    /** The entry this boot came from ({@code LoaderEntrySelected}), e.g. "edgegw-a.conf". */
    Optional<String> selectedEntry() throws IOException;

    /** The entry booted when nothing else is asked for ({@code LoaderEntryDefault} or loader.conf's default). */
    Optional<String> defaultEntry() throws IOException;

    /** The entry asked for the next boot only, if one is ({@code LoaderEntryOneShot}): an armed trial boot. */
    default Optional<String> oneShotEntry() throws IOException {
        return Optional.empty();
    }

    /** Boot {@code entry} on the next boot only ({@code LoaderEntryOneShot}); later boots use the default again. */
    void setOneShot(String entry) throws IOException;

    /** Make {@code entry} the default ({@code LoaderEntryDefault}): the "mark good" of a trial boot. */
    void setDefault(String entry) throws IOException;
}
