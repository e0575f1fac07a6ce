package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Tensor;

import java.util.SplittableRandom;

/**
 * One fully connected layer {@code y = epilogue(x·W + b)} whose parameters live in a {@link ParameterSet} and whose
 * activations live in buffers sized for the largest batch. The training forward keeps what the backward needs
 * (activation derivative, layer-norm scale); the inference forward does not.
 */
final class DenseLayer implements Layer {
    private final Backend backend;
    private final ParameterSet params;
    private final ParameterSet.Slot weight;
    private final ParameterSet.Slot bias;
    private final Epilogue epilogue;
    private final int in;
    private final Tensor output;
    private final Tensor deriv;
    private final Tensor rowScale;
    private final Tensor dz;

    /** Declares the layer's slots in {@code builder}; the constructor binds the layer to them once the set is built. */
    public static ParameterSet.Slot[] declare(ParameterSet.Builder builder, String name, int in, int out) {
        return new ParameterSet.Slot[] {builder.weight(name + ".weight", in, out), builder.bias(name + ".bias", out)};
    }

    public DenseLayer(Backend backend, ParameterSet params, ParameterSet.Slot[] slots, Epilogue epilogue,
                      int maxBatch) {
        this.backend = backend;
        this.params = params;
        this.weight = slots[0];
        this.bias = slots[1];
        this.epilogue = epilogue;
        this.in = weight.rows();
        int out = weight.cols();
        this.output = backend.zeros(maxBatch, out);
        this.deriv = backend.zeros(maxBatch, out);
        this.rowScale = epilogue.layerNorm() ? backend.zeros(maxBatch, 1) : null;
        this.dz = backend.zeros(maxBatch, out);
    }

    @Override
    public void init(SplittableRandom random) {
        params.initUniform(weight, in, random);
        params.initUniform(bias, in, random);
    }

    /** Forward for training; the result is valid until the layer's next forward. */
    @Override
    public Tensor forwardTrain(Tensor x) {
        int n = x.rows();
        Tensor y = output.firstRows(n);
        backend.denseForward(x, params.param(weight), params.param(bias), epilogue, y, deriv.firstRows(n),
                rowScale == null ? null : rowScale.firstRows(n));
        return y;
    }

    /** Forward for inference; the result is valid until the layer's next forward. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, epilogue);
    }

    /** Forward for inference with another epilogue (e.g. a latent without the training sparsity). */
    public Tensor forward(Tensor x, Epilogue other) {
        Tensor y = output.firstRows(x.rows());
        backend.denseForward(x, params.param(weight), params.param(bias), other, y, null, null);
        return y;
    }

    /** The output of the last forward, first {@code rows} rows. */
    @Override
    public Tensor lastOutput(int rows) {
        return output.firstRows(rows);
    }

    /** The derivative buffer of the last training forward (used by losses that fuse the output activation). */
    public Tensor deriv(int rows) {
        return deriv.firstRows(rows);
    }

    /** Scratch for the pre-activation gradient, sized like the output. */
    public Tensor dzBuffer(int rows) {
        return dz.firstRows(rows);
    }

    /**
     * Backward from the gradient of this layer's output (after {@link #forwardTrain} on {@code x}): writes the
     * parameter gradients and, when {@code dx} is not null, the input gradient.
     */
    @Override
    public void backward(Tensor x, Tensor dOut, Tensor dx) {
        int n = x.rows();
        Tensor z = dz.firstRows(n);
        backend.epilogueBackward(dOut, output.firstRows(n), deriv.firstRows(n),
                rowScale == null ? null : rowScale.firstRows(n), epilogue, z);
        backwardFromPreActivation(x, z, dx);
    }

    /** Backward when the gradient of the pre-activation is already known (a loss fused the epilogue). */
    public void backwardFromPreActivation(Tensor x, Tensor dzIn, Tensor dx) {
        backend.denseBackward(x, params.param(weight), dzIn, params.grad(weight), params.grad(bias), dx);
    }
}
