package net.edgegw.mgmt.port;

import java.util.List;
import java.util.Optional;

/**
 * The configuration as revisions: reads see the latest committed revision; writes are one transaction of
 * {@link Change}s that is validated as a whole (names, references between items) and then committed, or refused
 * with every {@link Problem}.
 */
public interface ConfigStore {
    /** The latest revision number, 0 before the first commit. */
    long head();

    List<ConfigItem> list(ConfigItem.Kind kind);

    Optional<ConfigItem> get(ConfigItem.Kind kind, String name);

    CommitResult commit(List<Change> changes, String author, String comment, String source);

    /** Newest first, at most {@code limit}. */
    List<Revision> revisions(int limit);

    Optional<Revision> revision(long number);

    /** What {@code number} changed relative to {@code number - 1}; empty if there is no such revision. */
    Optional<List<DiffEntry>> diff(long number);

    /** Commits a new revision whose content is that of {@code number}. */
    CommitResult rollback(long number, String author, String comment, String source);
}
