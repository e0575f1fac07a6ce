package dev.uff4j.model;

import dev.uff4j.backend.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A self-contained unsupervised model with its own parameters, optimizer and local loss: the unit of UFF.
 * Nothing flows backwards out of a cell: {@link #trainStep} computes gradients for its own parameters only, and
 * {@link #encode} hands on a latent that the next cell treats as plain data.
 */
public interface Cell {
    /**
     * The shape and training rule the cell was built from.
     *
     * @return the cell's spec
     */
    CellSpec spec();

    /**
     * Values per input row: the width of the batches {@link #encode} and {@link #trainStep} take.
     *
     * @return {@code spec().input()}
     */
    default int inputSize() {
        return spec().input();
    }

    /**
     * Values per latent row (for a cae cell, its pooled feature maps flattened).
     *
     * @return {@code spec().hidden()}
     */
    default int latentSize() {
        return spec().hidden();
    }

    /**
     * The latent of {@code x} (inference mode); valid until this cell's next call.
     *
     * @param x a batch of rows x {@link #inputSize} values, at most the batch the cell was built for
     * @return the latent, rows x {@link #latentSize}, in a buffer of the cell's
     */
    Tensor encode(Tensor x);

    /**
     * One optimizer step on the cell's local loss for the batch {@code x}. The loss is accumulated into
     * {@link #losses()} on the backend rather than returned, so a GPU never synchronises per step; read the sums
     * with {@link LossMeter#read} (divide by {@link LossMeter#steps}) when a report needs them.
     *
     * @param x a batch of rows x {@link #inputSize} values, at most the batch the cell was built for
     */
    void trainStep(Tensor x);

    /**
     * The accumulators {@link #trainStep} adds into. For an autoencoder cell, slot 0: reconstruction loss; slot 1:
     * L1 penalty on the latent (0 without one). A GAN cell has six slots: the discriminator's loss on real and on
     * generated data and the generator's loss, each followed by its correct count.
     *
     * @return the cell's meter, the same one on every call
     */
    LossMeter losses();

    /**
     * What the cell makes of {@code x} in its input's space, for plots: an autoencoder's reconstruction, a GAN cell's
     * generated samples (as many as {@code x} has rows; {@code x} itself is not used), null when there is none.
     * Valid until the cell's next call.
     *
     * @param x a batch of rows x {@link #inputSize} values
     * @return rows x {@link #inputSize} values, or null for a cell that makes nothing of its input
     */
    default Tensor reconstruct(Tensor x) {
        return null;
    }

    /**
     * The parameters {@link #encode} uses (for a GAN cell, the discriminator's).
     *
     * @return the live parameter set, not a copy
     */
    ParameterSet parameters();

    /**
     * Every parameter group of the cell by name, given the cell's own name (e.g. {@code cell1}).
     *
     * @param name the cell's name in its model
     * @return {@code name} mapped to {@link #parameters}, and for a GAN cell also {@code name-generator} mapped to
     *         the generator's parameters
     */
    default Map<String, ParameterSet> parameterGroups(String name) {
        return Map.of(name, parameters());
    }

    /**
     * Sets the learning-rate factor of every optimizer of the cell.
     *
     * @param scale the factor, in [0, 1]
     * @throws IllegalArgumentException if {@code scale} is outside [0, 1]
     */
    default void setLrScale(float scale) {
        parameters().setLrScale(scale);
    }

    /**
     * Suffixes of the losses {@link #takeLosses} returns, appended to the cell's name ("" for a single loss).
     *
     * @return {@code [""]} by default; {@code ["-d", "-g"]} (discriminator, generator) for a GAN cell
     */
    default List<String> lossSuffixes() {
        return List.of("");
    }

    /**
     * Mean loss per step since the last call, one per {@link #lossSuffixes} entry (NaN if none); resets. By default
     * the reconstruction loss plus the sparsity penalty. Reads the accumulators back once (if the cell has stepped).
     *
     * @return one mean per {@link #lossSuffixes} entry, a new array
     */
    default double[] takeLosses() {
        return new double[] {losses().take().perStep(0, 1)};
    }
}
