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
    CellSpec spec();

    default int inputSize() {
        return spec().input();
    }

    default int latentSize() {
        return spec().hidden();
    }

    /** The latent of {@code x} (inference mode); valid until this cell's next call. */
    Tensor encode(Tensor x);

    /**
     * One optimizer step on the cell's local loss for the batch {@code x}. The loss is accumulated into
     * {@link #losses()} on the backend rather than returned, so a GPU never synchronises per step; read the sums
     * with {@link LossMeter#read} (divide by {@link LossMeter#steps}) when a report needs them.
     */
    void trainStep(Tensor x);

    /** Slot 0: reconstruction loss; slot 1: sparsity penalty. */
    LossMeter losses();

    /**
     * What the cell makes of {@code x} in its input's space, for plots: an autoencoder's reconstruction, a GAN cell's
     * generated samples (as many as {@code x} has rows; {@code x} itself is not used), null when there is none.
     * Valid until the cell's next call.
     */
    default Tensor reconstruct(Tensor x) {
        return null;
    }

    /** The parameters {@link #encode} uses (for a GAN cell, the discriminator's). */
    ParameterSet parameters();

    /** Every parameter group of the cell by name, given the cell's own name (e.g. {@code cell1}). */
    default Map<String, ParameterSet> parameterGroups(String name) {
        return Map.of(name, parameters());
    }

    /** Sets the learning-rate factor of every optimizer of the cell. */
    default void setLrScale(float scale) {
        parameters().setLrScale(scale);
    }

    /** Suffixes of the losses {@link #takeLosses} returns, appended to the cell's name ("" for a single loss). */
    default List<String> lossSuffixes() {
        return List.of("");
    }

    /**
     * Mean loss per step since the last call, one per {@link #lossSuffixes} entry (NaN if none); resets. By default
     * the reconstruction loss plus the sparsity penalty.
     */
    default double[] takeLosses() {
        return new double[] {losses().take().perStep(0, 1)};
    }
}
