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
 *                          feature maps of half the height and width, or of the same size where the input has an
 *                          odd side (see {@link #pool})
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
     * @param image             the input geometry: given for a cae cell only, with {@code input} values, and
     *                          {@code hidden} a whole number of feature maps of the pooled size ({@link #pool})
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
            if (image.size() != input) {
                throw new IllegalArgumentException("a cae cell's image must hold its " + input + " input values, got "
                        + image);
            }
            int p = pool(image);
            if (hidden % ((image.height() / p) * (image.width() / p)) != 0) {
                throw new IllegalArgumentException("a cae cell's latent is whole feature maps of "
                        + image.height() / p + "x" + image.width() / p + ", got " + hidden + " values");
            }
        }
    }

    /**
     * The side of a cae cell's max-pooling window (and of its decoder's upsampling) for an input of this geometry:
     * 2 where height and width are even, so the maps halve (28 -> 14 -> 7); 1, no pooling, where a side is odd, so
     * that cells can be stacked past an odd size (a third cell on 7x7 maps keeps 7x7) rather than drop a border row.
     *
     * @param image a cae cell's input geometry
     * @return 2 or 1
     */
    public static int pool(ImageShape image) {
        return image.height() % 2 == 0 && image.width() % 2 == 0 ? 2 : 1;
    }

    /**
     * The pooling window of this cae cell, {@link #pool(ImageShape)} of its image. Only for a cae cell, as
     * {@link #featureMaps}.
     *
     * @return 2 or 1
     */
    public int pool() {
        return pool(image);
    }

    /**
     * Feature maps of a cae cell's latent. Only for a cae cell: a dense cell has no image, and this throws
     * {@link NullPointerException}.
     *
     * @return {@code hidden} divided by the size of one pooled map
     */
    public int featureMaps() {
        int p = pool();
        return hidden / ((image.height() / p) * (image.width() / p));
    }

    /**
     * The geometry of a cae cell's latent: its feature maps at the pooled size (half the input's, or the input's own
     * where a side is odd). Only for a cae cell, as {@link #featureMaps}.
     *
     * @return {@link #featureMaps} channels of the input's height and width divided by {@link #pool}
     */
    public ImageShape latentImage() {
        int p = pool();
        return new ImageShape(featureMaps(), image.height() / p, image.width() / p);
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
