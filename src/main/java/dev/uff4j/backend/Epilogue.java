package dev.uff4j.backend;

/**
 * What a dense layer applies to {@code x·W + b} in the same pass: an activation, then optionally top-k sparsity
 * (keep the k largest values of each row, zero the rest), then optionally layer normalisation without affine
 * parameters (each row to mean 0, variance 1).
 *
 * @param activation element-wise activation
 * @param topK       0 for none, otherwise how many values per row survive
 * @param layerNorm  whether each row is normalised last
 */
public record Epilogue(Activation activation, int topK, boolean layerNorm) {
    /** Added to each row's variance before the square root, as PyTorch's {@code LayerNorm} does by default. */
    public static final float LAYER_NORM_EPS = 1e-5f;

    /**
     * An epilogue; whether {@code topK} fits the layer is checked by {@link Backend#denseForward}.
     *
     * @param activation element-wise activation
     * @param topK       0 for none, otherwise how many values per row survive
     * @param layerNorm  whether each row is normalised last
     * @throws IllegalArgumentException if {@code activation} is null or {@code topK} is negative
     */
    public Epilogue {
        if (activation == null) {
            throw new IllegalArgumentException("activation is null");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
    }

    /**
     * The activation alone: no sparsity, no normalisation.
     *
     * @param activation element-wise activation
     * @return the epilogue
     * @throws IllegalArgumentException if {@code activation} is null
     */
    public static Epilogue of(Activation activation) {
        return new Epilogue(activation, 0, false);
    }
}
