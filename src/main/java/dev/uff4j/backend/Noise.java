package dev.uff4j.backend;

/**
 * Corruption applied to a denoising cell's input: each element is first zeroed with probability {@code maskProb}
 * (masking noise), and the survivors get additive Gaussian noise of standard deviation {@code gaussianStd}.
 * The random numbers come from a counter-based generator, so they depend only on (seed, stream, element index):
 * the same on every backend and for every thread count.
 */
public record Noise(float gaussianStd, float maskProb) {
    public static final Noise NONE = new Noise(0f, 0f);

    public Noise {
        if (!(gaussianStd >= 0f) || !Float.isFinite(gaussianStd)) {
            throw new IllegalArgumentException("gaussian noise std must be a finite number >= 0, got " + gaussianStd);
        }
        if (!(maskProb >= 0f && maskProb < 1f)) {
            throw new IllegalArgumentException("masking probability must be in [0, 1), got " + maskProb);
        }
    }

    public boolean isNone() {
        return gaussianStd == 0f && maskProb == 0f;
    }
}
