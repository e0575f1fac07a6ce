package dev.uff4j.model;

/** What {@code --model} selects. */
public enum ModelKind {
    /** UFF with autoencoder cells. */
    AE,
    /** UFF with denoising autoencoder cells. */
    DAE,
    /** UFF with GAN cells (the latent is each discriminator's hidden features). */
    GAN,
    /** UFF with convolutional autoencoder cells (by default cae:32,cae:64). */
    CAE,
    /** The same encoder stack and head trained end to end by back-propagation. */
    BP,
    /** The cae cells' encoders and the head trained end to end by back-propagation: the CNN baseline. */
    BP_CNN,
    /** The Forward-Forward baseline (Hinton, 2022): layers trained on goodness, labels written into the input. */
    FF;

    /**
     * The name on the command line and in checkpoints: the constant's name in lower case with {@code -} for
     * {@code _}.
     *
     * @return e.g. {@code ae} or {@code bp-cnn}
     */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * Whether models of this kind are UFF stacks of cells, each trained on its own loss (ae, dae, gan, cae), as
     * opposed to the baselines (bp, bp-cnn, ff).
     *
     * @return true for ae, dae, gan and cae
     */
    public boolean isUff() {
        return this == AE || this == DAE || this == GAN || this == CAE;
    }

    /**
     * The inverse of {@link #id}.
     *
     * @param s {@code ae}, {@code dae}, {@code gan}, {@code cae}, {@code bp}, {@code bp-cnn} or {@code ff}
     * @return the model kind
     * @throws IllegalArgumentException if {@code s} is none of them
     */
    public static ModelKind parse(String s) {
        for (ModelKind k : values()) {
            if (k.id().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + s + "' (expected ae, dae, gan, cae, bp, bp-cnn or ff)");
    }
}
