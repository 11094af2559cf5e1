package net.edgegw.mgmt.port;

import java.util.List;

/** The outcome of {@link ConfigStore#commit}: a new revision, or the problems that refused the whole transaction. */
public sealed interface CommitResult permits CommitResult.Committed, CommitResult.Rejected {
    record Committed(long revision) implements CommitResult {
    }

    record Rejected(List<Problem> problems) implements CommitResult {
        public Rejected {
            problems = List.copyOf(problems);
        }
    }
}
