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

    /**
     * What was accumulated over an interval of steps.
     *
     * @param sums    each slot's sum
     * @param steps   steps counted
     * @param samples samples those steps covered
     */
    public record Interval(float[] sums, long steps, long samples) {
        /** Slot {@code slot}'s mean per step; NaN when no step was counted. */
        public double perStep(int slot) {
            return steps == 0 ? Double.NaN : sums[slot] / (double) steps;
        }

        /** The sum of two slots (a loss and its penalty) per step; NaN when no step was counted. */
        public double perStep(int slot, int other) {
            return steps == 0 ? Double.NaN : (sums[slot] + sums[other]) / (double) steps;
        }

        /** Slot {@code slot}'s mean per sample (e.g. an accuracy); NaN when no step was counted. */
        public double perSample(int slot) {
            return samples == 0 ? Double.NaN : sums[slot] / (double) samples;
        }
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

    /** Reads the sums back (one transfer) and returns them; does not reset. */
    public float[] read() {
        backend.download(sums, host, 0);
        return host.clone();
    }

    /**
     * The first slot whose sum since the last reset is NaN or infinite, or -1 (also when no step was counted): a
     * diverged part. One read-back; the trainer asks every few dozen steps, never every step.
     */
    public int firstNonFinite() {
        if (steps == 0) {
            return -1;
        }
        backend.download(sums, host, 0);
        for (int i = 0; i < host.length; i++) {
            if (!Float.isFinite(host[i])) {
                return i;
            }
        }
        return -1;
    }

    /** The interval since the last reset (read back in one transfer when it has steps), then resets. */
    public Interval take() {
        Interval interval = new Interval(steps > 0 ? read() : new float[host.length], steps, samples);
        reset();
        return interval;
    }

    public void reset() {
        backend.fill(sums, 0f);
        steps = 0;
        samples = 0;
    }
}
