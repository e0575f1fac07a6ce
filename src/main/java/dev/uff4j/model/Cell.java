package dev.uff4j.model;

import dev.uff4j.backend.Tensor;

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

    ParameterSet parameters();
}
