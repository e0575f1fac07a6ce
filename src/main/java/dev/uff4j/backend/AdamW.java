package dev.uff4j.backend;

/**
 * AdamW hyper-parameters (Loshchilov and Hutter), as in PyTorch's {@code torch.optim.AdamW}: decoupled weight decay
 * {@code p -= lr * wd * p} before the Adam update with bias-corrected moments. Kept in double precision, as
 * PyTorch keeps them in Python floats: the kernels derive their float32 constants (e.g. {@code 1 - beta2}) from
 * the doubles, so 0.999 gives exactly the float nearest 0.001.
 *
 * @param lr          learning rate, finite and greater than 0
 * @param beta1       decay of the first moment (the gradient's running mean), in [0, 1)
 * @param beta2       decay of the second moment (the squared gradient's running mean), in [0, 1)
 * @param eps         added to the denominator, finite and greater than 0
 * @param weightDecay decoupled weight decay, finite and at least 0; a step multiplies weights by
 *                    {@code 1 - lr·weightDecay}
 */
public record AdamW(double lr, double beta1, double beta2, double eps, double weightDecay) {
    /** PyTorch's defaults: lr 1e-3, betas 0.9 and 0.999, eps 1e-8, weight decay 1e-2. */
    public static final AdamW DEFAULT = new AdamW(1e-3, 0.9, 0.999, 1e-8, 1e-2);

    /**
     * Hyper-parameters, checked against the ranges below.
     *
     * @param lr          learning rate, finite and greater than 0
     * @param beta1       decay of the first moment (the gradient's running mean), in [0, 1)
     * @param beta2       decay of the second moment (the squared gradient's running mean), in [0, 1)
     * @param eps         added to the denominator, finite and greater than 0
     * @param weightDecay decoupled weight decay, finite and at least 0
     * @throws IllegalArgumentException if a value is out of its range (NaN included)
     */
    public AdamW {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + lr);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || !(weightDecay >= 0) || !Double.isFinite(eps) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("eps must be a finite number > 0 and weight decay a finite number >= 0, "
                    + "got " + eps + ", " + weightDecay);
        }
    }

    /**
     * These hyper-parameters with another learning rate.
     *
     * @param newLr the learning rate, finite and greater than 0
     * @return a new value
     * @throws IllegalArgumentException if {@code newLr} is not finite and greater than 0
     */
    public AdamW withLr(double newLr) {
        return new AdamW(newLr, beta1, beta2, eps, weightDecay);
    }

    /**
     * These hyper-parameters with another weight decay.
     *
     * @param newWeightDecay the weight decay, finite and at least 0
     * @return a new value
     * @throws IllegalArgumentException if {@code newWeightDecay} is not finite or is negative
     */
    public AdamW withWeightDecay(double newWeightDecay) {
        return new AdamW(lr, beta1, beta2, eps, newWeightDecay);
    }
}
