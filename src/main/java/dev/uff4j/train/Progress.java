package dev.uff4j.train;

/** Receives progress of long work; the CLI draws a bar, tests and library users may ignore it. */
public interface Progress {
    /** Ignores every call: for runs nobody watches. */
    Progress NONE = new Progress() {
    };

    /**
     * The whole run will process {@code totalSamples} samples (called once, before the first phase).
     *
     * @param totalSamples samples over all phases: stages x epochs x training samples; fewer are processed when a
     *                     listener stops the run early
     */
    default void plan(long totalSamples) {
    }

    /**
     * A phase starts: {@code label} (e.g. "epoch 3/10") over {@code total} samples.
     *
     * @param label what the phase is, for people: {@code epoch 3/10}, {@code cell1 epoch 2/5}, ...
     * @param total samples the phase will process
     */
    default void start(String label, long total) {
    }

    /**
     * {@code done} samples of the current phase are finished.
     *
     * @param done samples finished since the phase started (a running total, not an increment), at most its
     *             {@code total}
     */
    default void advance(long done) {
    }

    /**
     * The current phase ended; {@code summary} is one line about it.
     *
     * @param summary e.g. the epoch's losses, test accuracy, seconds and samples per second
     */
    default void end(String summary) {
    }
}
