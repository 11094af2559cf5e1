package net.edgegw.appliance.update;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link BootControl} double: holds the three variables in fields and records every write. */
final class RecordingBootControl implements BootControl {
    String selected;
    String dflt;
    final List<String> writes = new ArrayList<>();

    RecordingBootControl(String selected, String dflt) {
        this.selected = selected;
        this.dflt = dflt;
    }

    @Override
    public Optional<String> selectedEntry() {
        return Optional.ofNullable(selected);
    }

    @Override
    public Optional<String> defaultEntry() {
        return Optional.ofNullable(dflt);
    }

    @Override
    public void setOneShot(String entry) {
        writes.add("oneshot " + entry);
    }

    @Override
    public void setDefault(String entry) {
        writes.add("default " + entry);
        dflt = entry;
    }
}
