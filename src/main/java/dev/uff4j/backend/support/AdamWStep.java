package dev.uff4j.backend.support;

import dev.uff4j.backend.AdamW;

/**
 * The float constants of one AdamW step, derived from the double hyper-parameters in one place for every backend,
 * so the CPU's loop and the GPU's kernel round alike: {@code p = p·decayFactor - stepSize·m / (sqrt(v)·invSqrtBc2
 * + eps)} after the moment updates {@code m = beta1·m + oneMinusBeta1·g}, {@code v = beta2·v + oneMinusBeta2·g²}.
 * The bias corrections and the decoupled weight decay use the scheduled rate {@code lr·lrScale}, as PyTorch does.
 * A backend keeps one and {@link #set}s it before each step, so a step allocates nothing.
 */
public final class AdamWStep {
    private float decayFactor;
    private float beta1;
    private float beta2;
    private float oneMinusBeta1;
    private float oneMinusBeta2;
    private float eps;
    private float stepSize;
    private float invSqrtBc2;

    /** The constants of step {@code step} (from 1) at learning-rate factor {@code lrScale}. */
    public AdamWStep set(AdamW h, float lrScale, int step) {
        double lr = h.lr() * lrScale;
        double bc1 = 1.0 - Math.pow(h.beta1(), step);
        double bc2 = 1.0 - Math.pow(h.beta2(), step);
        decayFactor = (float) (1 - lr * h.weightDecay());
        beta1 = (float) h.beta1();
        beta2 = (float) h.beta2();
        oneMinusBeta1 = (float) (1 - h.beta1());
        oneMinusBeta2 = (float) (1 - h.beta2());
        eps = (float) h.eps();
        stepSize = (float) (lr / bc1);
        invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        return this;
    }

    /** What decayed weights are multiplied by: {@code 1 - lr·weightDecay}. */
    public float decayFactor() {
        return decayFactor;
    }

    public float beta1() {
        return beta1;
    }

    public float beta2() {
        return beta2;
    }

    public float oneMinusBeta1() {
        return oneMinusBeta1;
    }

    public float oneMinusBeta2() {
        return oneMinusBeta2;
    }

    public float eps() {
        return eps;
    }

    /** {@code lr / (1 - beta1^step)}. */
    public float stepSize() {
        return stepSize;
    }

    /** {@code 1 / sqrt(1 - beta2^step)}. */
    public float invSqrtBc2() {
        return invSqrtBc2;
    }
}
