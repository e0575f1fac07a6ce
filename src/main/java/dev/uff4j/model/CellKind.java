package dev.uff4j.model;

/** The unsupervised models a UFF cell can be. */
public enum CellKind {
    /** Autoencoder: reconstructs its own input. */
    AE,
    /** Denoising autoencoder: reconstructs its clean input from a corrupted copy. */
    DAE,
    /** Generative adversarial pair: the discriminator's hidden features are the latent (see {@link GanCell}). */
    GAN
}
