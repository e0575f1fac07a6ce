package dev.uff4j.model;

import java.util.Locale;

/** The unsupervised models a UFF cell can be. */
public enum CellKind {
    /** Autoencoder: reconstructs its own input. */
    AE,
    /** Denoising autoencoder: reconstructs its clean input from a corrupted copy. */
    DAE,
    /** Generative adversarial pair: the discriminator's hidden features are the latent (see {@link GanCell}). */
    GAN,
    /** Convolutional autoencoder: conv, ReLU and max pooling down, upsampling and conv back (see ConvCell). */
    CAE;

    /**
     * The kind a cell list names.
     *
     * @param s the lower-case name: {@code ae}, {@code dae}, {@code gan} or {@code cae}
     * @return the kind
     * @throws IllegalArgumentException if {@code s} names no kind (upper case included)
     */
    public static CellKind parse(String s) {
        for (CellKind k : values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown cell kind '" + s + "' (expected ae, dae, gan or cae)");
    }
}
