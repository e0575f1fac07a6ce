package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;

/**
 * Running sums that ops accumulate on the backend (losses, correct counts), read back only when a report asks:
 * once per epoch or reporting interval, never per step.
 */
public final class LossMeter {
    private final Backend backend;
    private final Tensor sums;
    private final float[] host;
    private long steps;
    private long samples;

    public LossMeter(Backend backend, int slots) {
        this.backend = backend;
        this.sums = backend.zeros(1, slots);
        this.host = new float[slots];
    }

    /** The accumulator that ops add into. */
    public Tensor sums() {
        return sums;
    }

    /** Counts one step over {@code batchRows} samples (host side, no synchronisation). */
    public void count(int batchRows) {
        steps++;
        samples += batchRows;
    }

    public long steps() {
        return steps;
    }

    public long samples() {
        return samples;
    }

    /** Reads the sums back (one transfer) and returns them; does not reset. */
    public float[] read() {
        backend.download(sums, host, 0);
        return host.clone();
    }

    public void reset() {
        backend.fill(sums, 0f);
        steps = 0;
        samples = 0;
    }
}
