package dev.uff4j.backend;

/**
 * AdamW hyper-parameters (Loshchilov and Hutter), as in PyTorch's {@code torch.optim.AdamW}: decoupled weight decay
 * {@code p -= lr * wd * p} before the Adam update with bias-corrected moments.
 */
public record AdamW(float lr, float beta1, float beta2, float eps, float weightDecay) {
    public static final AdamW DEFAULT = new AdamW(1e-3f, 0.9f, 0.999f, 1e-8f, 1e-2f);

    public AdamW {
        if (!(lr > 0f) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a finite number > 0, got " + lr);
        }
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0f) || !(weightDecay >= 0f)) {
            throw new IllegalArgumentException("eps must be > 0 and weight decay >= 0, got " + eps + ", " + weightDecay);
        }
    }

    public AdamW withLr(float newLr) {
        return new AdamW(newLr, beta1, beta2, eps, weightDecay);
    }
}
