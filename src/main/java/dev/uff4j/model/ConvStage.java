package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Tensor;

import java.util.SplittableRandom;

/**
 * A convolutional encoder stage, the encoder of a cae cell and a layer of bp-cnn: a 3x3 convolution (padding 1) to
 * {@code featureMaps} maps, an activation, then max pooling over {@link CellSpec#pool} windows: 2x2 on an even-sized
 * input, whose size the output halves; none (a 1x1 window) on an input with an odd side, whose size it keeps. Input
 * and output are images stored one per row, channel-major. Buffers hold {@code maxBatch} rows; results are valid until
 * the stage's next call.
 */
final class ConvStage implements Layer {
    static final int KERNEL = 3;
    private final Backend backend;
    private final ParameterSet params;
    private final ParameterSet.Slot weight;
    private final ParameterSet.Slot bias;
    private final ConvShape shape;
    private final int pool;
    private final Activation activation;
    private final Epilogue epilogue;
    private final Tensor conv;
    private final Tensor deriv;
    private final Tensor pooled;
    private final Tensor argmax;
    private final Tensor dConv;

    static ParameterSet.Slot[] declare(ParameterSet.Builder b, String name, ImageShape in, int featureMaps) {
        return new ParameterSet.Slot[] {b.weight(name + ".weight", featureMaps, in.channels() * KERNEL * KERNEL),
            b.bias(name + ".bias", featureMaps)};
    }

    ConvStage(Backend backend, ParameterSet params, ParameterSet.Slot[] slots, ImageShape in, Activation activation,
              int maxBatch) {
        this.backend = backend;
        this.params = params;
        this.weight = slots[0];
        this.bias = slots[1];
        this.shape = new ConvShape(in.channels(), in.height(), in.width(), weight.rows(), KERNEL, 1, 1);
        this.pool = CellSpec.pool(in);
        this.activation = activation;
        this.epilogue = Epilogue.of(activation);
        this.conv = backend.zeros(maxBatch, shape.outSize());
        this.deriv = backend.zeros(maxBatch, shape.outSize());
        this.pooled = backend.zeros(maxBatch, shape.outSize() / (pool * pool));
        this.argmax = backend.zeros(maxBatch, shape.outSize() / (pool * pool));
        this.dConv = backend.zeros(maxBatch, shape.outSize());
    }

    /** PyTorch's default for a convolution: uniform in ±1/sqrt(fan_in), fan_in = in channels x 3 x 3. */
    @Override
    public void init(SplittableRandom random) {
        params.initUniform(weight, shape.patch(), random);
        params.initUniform(bias, shape.patch(), random);
    }

    /** conv, activation (its derivative kept for {@link #backward}), pooling. */
    @Override
    public Tensor forwardTrain(Tensor x) {
        return forward(x, deriv.firstRows(x.rows()));
    }

    /** conv, activation, pooling. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    private Tensor forward(Tensor x, Tensor activationDeriv) {
        int n = x.rows();
        Tensor c = conv.firstRows(n);
        Tensor p = pooled.firstRows(n);
        backend.conv2dForward(x, shape, params.param(weight), params.param(bias), activation, c, activationDeriv);
        // a 1x1 window copies: one code path for both sizes, at the cost of a copy next to the convolution
        backend.maxPool2dForward(c, shape.outChannels(), shape.height(), shape.width(), pool, p, argmax.firstRows(n));
        return p;
    }

    /** The pooled output of the last forward, first {@code rows} rows. */
    @Override
    public Tensor lastOutput(int rows) {
        return pooled.firstRows(rows);
    }

    /**
     * From the gradient of the pooled output (after {@link #forwardTrain} on {@code x}): the parameter gradients
     * and, when {@code dx} is not null, the input gradient.
     */
    @Override
    public void backward(Tensor x, Tensor dPooled, Tensor dx) {
        int n = x.rows();
        Tensor dc = dConv.firstRows(n);
        backend.maxPool2dBackward(dPooled, argmax.firstRows(n), dc);
        backend.epilogueBackward(dc, conv.firstRows(n), deriv.firstRows(n), null, epilogue, dc);
        backend.conv2dBackward(x, shape, params.param(weight), dc, params.grad(weight), params.grad(bias), dx);
    }
}
