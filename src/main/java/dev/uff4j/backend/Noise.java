package dev.uff4j.backend;

/**
 * Corruption applied to a denoising cell's input: each element is first zeroed with probability {@code maskProb}
 * (masking noise), and the survivors get additive Gaussian noise of standard deviation {@code gaussianStd}.
 * The random numbers come from a counter-based generator, so they depend only on (seed, stream, element index):
 * the same on every backend and for every thread count.
 *
 * @param gaussianStd standard deviation of the additive noise, finite and at least 0 (0 for none)
 * @param maskProb    probability that an element is zeroed, in [0, 1) (0 for none)
 */
public record Noise(float gaussianStd, float maskProb) {
    /** No corruption: {@link Backend#corrupt} then copies its input. */
    public static final Noise NONE = new Noise(0f, 0f);

    /**
     * A corruption, checked against the ranges below.
     *
     * @param gaussianStd standard deviation of the additive noise, finite and at least 0 (0 for none)
     * @param maskProb    probability that an element is zeroed, in [0, 1) (0 for none)
     * @throws IllegalArgumentException if a value is out of its range (NaN included)
     */
    public Noise {
        if (!(gaussianStd >= 0f) || !Float.isFinite(gaussianStd)) {
            throw new IllegalArgumentException("gaussian noise std must be a finite number >= 0, got " + gaussianStd);
        }
        if (!(maskProb >= 0f && maskProb < 1f)) {
            throw new IllegalArgumentException("masking probability must be in [0, 1), got " + maskProb);
        }
    }

    /**
     * Whether this corrupts nothing.
     *
     * @return true when both the standard deviation and the masking probability are 0
     */
    public boolean isNone() {
        return gaussianStd == 0f && maskProb == 0f;
    }

    /**
     * The generator key of one (seed, stream) pair; element pair q of a corrupted tensor then draws
     * {@code mix64(key + q·0xD1B54A32D192ED03)}. Shared by every backend, so all draw the same numbers.
     *
     * @param seed   the run's seed
     * @param stream what separates the draws of one seed, e.g. the step
     * @return the 64-bit key
     */
    public static long streamKey(long seed, long stream) {
        return mix64(seed ^ mix64(stream + 0x9E3779B97F4A7C15L));
    }

    /**
     * SplitMix64's finaliser: a bijective 64-bit mix.
     *
     * @param z the input bits
     * @return the mixed bits
     */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
