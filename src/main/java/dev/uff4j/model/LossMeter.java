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

    /**
     * A meter of {@code slots} sums, all 0, on {@code backend}.
     *
     * @param backend where the sums live and ops add into them
     * @param slots   number of sums (e.g. 2: a loss and a penalty or a correct count)
     */
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
        /**
         * Slot {@code slot}'s mean per step; NaN when no step was counted.
         *
         * @param slot the slot, 0-based
         * @return the slot's sum divided by {@code steps}
         */
        public double perStep(int slot) {
            return steps == 0 ? Double.NaN : sums[slot] / (double) steps;
        }

        /**
         * The sum of two slots (a loss and its penalty) per step; NaN when no step was counted.
         *
         * @param slot  one slot, 0-based
         * @param other the other slot
         * @return the two sums together divided by {@code steps}
         */
        public double perStep(int slot, int other) {
            return steps == 0 ? Double.NaN : (sums[slot] + sums[other]) / (double) steps;
        }

        /**
         * Slot {@code slot}'s mean per sample (e.g. an accuracy); NaN when no step was counted.
         *
         * @param slot the slot, 0-based
         * @return the slot's sum divided by {@code samples}
         */
        public double perSample(int slot) {
            return samples == 0 ? Double.NaN : sums[slot] / (double) samples;
        }
    }

    /**
     * The accumulator that ops add into.
     *
     * @return the live 1 x slots tensor on the backend (slot i is column i)
     */
    public Tensor sums() {
        return sums;
    }

    /**
     * Counts one step over {@code batchRows} samples (host side, no synchronisation).
     *
     * @param batchRows samples in the step's batch
     */
    public void count(int batchRows) {
        steps++;
        samples += batchRows;
    }

    /**
     * Steps counted since the last reset (host side, no read-back).
     *
     * @return the number of {@link #count} calls since the last {@link #reset} or {@link #take}
     */
    public long steps() {
        return steps;
    }

    /**
     * Reads the sums back (one transfer) and returns them; does not reset.
     *
     * @return one sum per slot, a new array
     */
    public float[] read() {
        backend.download(sums, host, 0);
        return host.clone();
    }

    /**
     * The first slot whose sum since the last reset is NaN or infinite, or -1 (also when no step was counted): a
     * diverged part. One read-back; the trainer asks every few dozen steps, never every step.
     *
     * @return the slot's index, or -1
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

    /**
     * The interval since the last reset (read back in one transfer when it has steps), then resets.
     *
     * @return the sums (all 0 when no step was counted), steps and samples of the interval
     */
    public Interval take() {
        Interval interval = new Interval(steps > 0 ? read() : new float[host.length], steps, samples);
        reset();
        return interval;
    }

    /** Sets every sum and both counts to 0 (the sums on the backend, without a read-back). */
    public void reset() {
        backend.fill(sums, 0f);
        steps = 0;
        samples = 0;
    }
}
