package dev.uff4j.model;

/** What {@code --model} selects. */
public enum ModelKind {
    /** UFF with autoencoder cells. */
    AE,
    /** UFF with denoising autoencoder cells. */
    DAE,
    /** UFF with GAN cells (the latent is each discriminator's hidden features). */
    GAN,
    /** The same encoder stack and head trained end to end by back-propagation. */
    BP,
    /** The Forward-Forward baseline (Hinton, 2022): layers trained on goodness, labels written into the input. */
    FF;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static ModelKind parse(String s) {
        for (ModelKind k : values()) {
            if (k.id().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model '" + s + "' (expected ae, dae, gan, bp or ff)");
    }
}
