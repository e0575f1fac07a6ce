package dev.uff4j.train;

/** Receives progress of long work; the CLI draws a bar, tests and library users may ignore it. */
public interface Progress {
    Progress NONE = new Progress() {
    };

    /** The whole run will process {@code totalSamples} samples (called once, before the first phase). */
    default void plan(long totalSamples) {
    }

    /** A phase starts: {@code label} (e.g. "epoch 3/10") over {@code total} samples. */
    default void start(String label, long total) {
    }

    /** {@code done} samples of the current phase are finished. */
    default void advance(long done) {
    }

    /** The current phase ended; {@code summary} is one line about it. */
    default void end(String summary) {
    }
}
