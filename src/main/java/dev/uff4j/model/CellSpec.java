package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;

import java.util.Objects;

/**
 * The shape and training rule of one cell.
 *
 * @param kind              the kind of cell
 * @param input             input width
 * @param hidden            latent width
 * @param train             the encoder's epilogue while training (activation, top-k sparsity); the decoder
 *                          reconstructs from its output
 * @param latent            the encoder's epilogue for the latent passed on (same activation; its own sparsity and
 *                          optional layer norm)
 * @param decoderActivation activation of the reconstruction
 * @param noise             corruption of the input (DAE only; {@link Noise#NONE} for AE)
 * @param l1                L1 penalty weight on the latent (0 for none)
 * @param lifetime          lifetime sparsity while training: the fraction of each batch on which every latent unit
 *                          stays active, with its largest values (0 for none)
 * @param image             a cae cell's input geometry (null for dense cells); its latent is {@code hidden} values:
 *                          feature maps of half the height and width
 */
public record CellSpec(CellKind kind, int input, int hidden, Epilogue train, Epilogue latent,
                       Activation decoderActivation, Noise noise, float l1, float lifetime, ImageShape image) {
    /**
     * A dense cell (no image geometry), checked as by the canonical constructor.
     *
     * @param kind              AE, DAE or GAN
     * @param input             input width
     * @param hidden            latent width
     * @param train             the encoder's epilogue while training
     * @param latent            the encoder's epilogue for the latent passed on
     * @param decoderActivation activation of the reconstruction
     * @param noise             corruption of the input ({@link Noise#NONE} unless DAE)
     * @param l1                L1 penalty weight on the latent (0 for none)
     * @param lifetime          lifetime sparsity while training, in [0, 1] (0 for none)
     * @throws IllegalArgumentException if the fields do not fit together (see the canonical constructor), and
     *                                  always for a cae cell, which needs an image
     */
    public CellSpec(CellKind kind, int input, int hidden, Epilogue train, Epilogue latent,
                    Activation decoderActivation, Noise noise, float l1, float lifetime) {
        this(kind, input, hidden, train, latent, decoderActivation, noise, l1, lifetime, null);
    }

    /**
     * Checks that the fields fit together.
     *
     * @param kind              the kind of cell
     * @param input             input width, at least 1
     * @param hidden            latent width, at least 1
     * @param train             the training epilogue; its top-k at most {@code hidden}
     * @param latent            the latent epilogue; its top-k at most {@code hidden}, same activation as {@code train}
     * @param decoderActivation activation of the reconstruction
     * @param noise             corruption of the input; {@link Noise#NONE} for an AE cell
     * @param l1                L1 penalty weight, at least 0
     * @param lifetime          lifetime sparsity, in [0, 1]
     * @param image             the input geometry: given for a cae cell only, with even height and width,
     *                          {@code input} values, and {@code hidden} a whole number of half-size feature maps
     * @throws IllegalArgumentException if any of these conditions fails
     * @throws NullPointerException     if {@code kind}, {@code noise}, {@code train} or {@code latent} is null
     */
    public CellSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(noise, "noise");
        if (input < 1 || hidden < 1) {
            throw new IllegalArgumentException("cell sizes must be >= 1, got input " + input + ", hidden " + hidden);
        }
        if (train.topK() > hidden || latent.topK() > hidden) {
            throw new IllegalArgumentException("top-k " + Math.max(train.topK(), latent.topK())
                    + " exceeds the hidden width " + hidden);
        }
        if (train.activation() != latent.activation()) {
            throw new IllegalArgumentException("training and latent epilogues must share the activation, got "
                    + train.activation() + " and " + latent.activation());
        }
        if (kind == CellKind.AE && !noise.isNone()) {
            throw new IllegalArgumentException("an AE cell has no input noise; use a DAE cell");
        }
        if (!(l1 >= 0f)) {
            throw new IllegalArgumentException("l1 must be >= 0, got " + l1);
        }
        if (!(lifetime >= 0f && lifetime <= 1f)) {
            throw new IllegalArgumentException("lifetime sparsity must be in [0, 1], got " + lifetime);
        }
        if ((kind == CellKind.CAE) != (image != null)) {
            throw new IllegalArgumentException("a cae cell needs an image shape and only a cae cell has one");
        }
        if (image != null) {
            if (image.size() != input || image.height() % 2 != 0 || image.width() % 2 != 0) {
                throw new IllegalArgumentException("a cae cell pools by 2: it needs an even-sized image of " + input
                        + " values, got " + image);
            }
            if (hidden % ((image.height() / 2) * (image.width() / 2)) != 0) {
                throw new IllegalArgumentException("a cae cell's latent is whole feature maps of "
                        + image.height() / 2 + "x" + image.width() / 2 + ", got " + hidden + " values");
            }
        }
    }

    /**
     * Feature maps of a cae cell's latent. Only for a cae cell: a dense cell has no image, and this throws
     * {@link NullPointerException}.
     *
     * @return {@code hidden} divided by the size of one half-height, half-width map
     */
    public int featureMaps() {
        return hidden / ((image.height() / 2) * (image.width() / 2));
    }

    /**
     * The geometry of a cae cell's latent: its feature maps at half the size. Only for a cae cell, as
     * {@link #featureMaps}.
     *
     * @return {@link #featureMaps} channels of half the input's height and width
     */
    public ImageShape latentImage() {
        return new ImageShape(featureMaps(), image.height() / 2, image.width() / 2);
    }

    /**
     * How many rows of an n-row batch each unit keeps under lifetime sparsity (n when it is off).
     *
     * @param n rows of the batch
     * @return {@code ceil(lifetime * n)} but at least 1, or {@code n} when {@code lifetime} is 0
     */
    public int lifetimeWinners(int n) {
        return lifetime == 0f ? n : Math.max(1, (int) Math.ceil(lifetime * n));
    }
}
