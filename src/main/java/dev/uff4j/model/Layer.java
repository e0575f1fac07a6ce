package dev.uff4j.model;

import dev.uff4j.backend.Tensor;

import java.util.SplittableRandom;

/**
 * One layer of a network trained end to end ({@link EndToEndModel}): a {@link DenseLayer} or a {@link ConvStage}.
 * Its parameters live in the network's {@link ParameterSet}; its buffers hold the largest batch, and what it returns
 * is valid until its next forward.
 */
interface Layer {
    /** Draws the initial parameters (PyTorch's defaults for the layer type). */
    void init(SplittableRandom random);

    /** Forward for training: keeps what {@link #backward} needs. */
    Tensor forwardTrain(Tensor x);

    /** Forward for inference. */
    Tensor forward(Tensor x);

    /** The output of the last forward, first {@code rows} rows. */
    Tensor lastOutput(int rows);

    /**
     * From the gradient of the output after {@link #forwardTrain} on {@code x}: the parameter gradients and, when
     * {@code dx} is not null, the input gradient.
     */
    void backward(Tensor x, Tensor dOut, Tensor dx);
}
