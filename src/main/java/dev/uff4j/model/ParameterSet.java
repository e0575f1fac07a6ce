package dev.uff4j.model;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.support.Shapes;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * All trainable parameters of one independently trained unit (a cell, a head, a whole BP network) in one flat
 * buffer, with gradients and AdamW moments laid out the same way, so that one optimizer call updates them all.
 * Weights come first and biases after them, so weight decay covers exactly the prefix of weights.
 */
public final class ParameterSet {

    /**
     * A named tensor inside the set; its size fits one tensor (at most {@code Integer.MAX_VALUE - 8} values).
     *
     * @param name     the name in messages and checkpoints, e.g. {@code encoder.weight}
     * @param rows     rows of the tensor (1 for a bias)
     * @param cols     columns of the tensor
     * @param isWeight whether weight decay applies (weights) or not (biases)
     * @param index    the slot's place in the order it was declared on its {@link Builder}, from 0; its key in the
     *                 set
     */
    public record Slot(String name, int rows, int cols, boolean isWeight, int index) {
        /**
         * Checks the shape.
         *
         * @param name     the name in messages and checkpoints
         * @param rows     rows, at least 1
         * @param cols     columns, at least 1
         * @param isWeight whether weight decay applies
         * @param index    the declaration index
         * @throws IllegalArgumentException if {@code rows} or {@code cols} is below 1 or their product is more than
         *                                  one tensor holds
         */
        public Slot {
            if (rows < 1 || cols < 1 || (long) rows * cols > Shapes.MAX_TENSOR_FLOATS) {
                throw new IllegalArgumentException("parameter " + name + " of " + rows + " x " + cols
                        + " values is not a tensor uff4j can hold (at most " + Shapes.MAX_TENSOR_FLOATS + " values)");
            }
        }

        /**
         * Values in the slot.
         *
         * @return {@code rows * cols}
         */
        public int size() {
            return rows * cols;
        }
    }

    /** Collects slots; {@link #build} lays them out. */
    public static final class Builder {
        private final List<Slot> weights = new ArrayList<>();
        private final List<Slot> biases = new ArrayList<>();

        /**
         * Declares a weight: a {@code rows x cols} tensor that weight decay applies to.
         *
         * @param name the name in messages and checkpoints, e.g. {@code encoder.weight}
         * @param rows rows (a dense layer's input width)
         * @param cols columns (a dense layer's output width)
         * @return the slot, the key of the tensor in the built set
         * @throws IllegalArgumentException if the shape is empty or more than one tensor holds
         */
        public Slot weight(String name, int rows, int cols) {
            Slot s = new Slot(name, rows, cols, true, weights.size() + biases.size());
            weights.add(s);
            return s;
        }

        /**
         * Declares a bias: a {@code 1 x cols} tensor without weight decay.
         *
         * @param name the name in messages and checkpoints, e.g. {@code encoder.bias}
         * @param cols values of the bias
         * @return the slot, the key of the tensor in the built set
         * @throws IllegalArgumentException if {@code cols} is below 1 or more than one tensor holds
         */
        public Slot bias(String name, int cols) {
            Slot s = new Slot(name, 1, cols, false, weights.size() + biases.size());
            biases.add(s);
            return s;
        }

        /**
         * Lays the declared slots out in one buffer, weights first and biases after them, each group in declaration
         * order, and allocates it with its gradients and AdamW moments (four tensors of the total size, all zero).
         *
         * @param backend where the tensors live
         * @param hyper   the optimizer's hyper-parameters
         * @return the new set; its parameters are 0 until initialised or written
         * @throws IllegalArgumentException if the slots together are more than one tensor holds
         */
        public ParameterSet build(Backend backend, AdamW hyper) {
            List<Slot> all = new ArrayList<>(weights);
            all.addAll(biases);
            return new ParameterSet(backend, hyper, all);
        }
    }

    /**
     * Everything an optimizer step depends on, read back to the host: the parameters and AdamW's moments in layout
     * order, and the number of steps taken (which sets the bias correction and the noise streams of a cell).
     * Restoring it into a set of the same layout makes its next step exactly what it would have been.
     *
     * @param steps  steps taken
     * @param params the parameters, {@link #size()} values
     * @param m      AdamW's first moments, {@link #size()} values
     * @param v      AdamW's second moments, {@link #size()} values
     */
    public record State(int steps, float[] params, float[] m, float[] v) {
        /**
         * Checks the lengths agree.
         *
         * @param steps  steps taken, at least 0
         * @param params the parameters
         * @param m      first moments, as many as parameters
         * @param v      second moments, as many as parameters
         */
        public State {
            if (steps < 0 || params.length != m.length || params.length != v.length) {
                throw new IllegalArgumentException("a parameter state needs steps >= 0 and as many moments as "
                        + "parameters, got steps " + steps + " and " + params.length + ", " + m.length + ", "
                        + v.length + " values");
            }
        }
    }

    /** Values drawn per piece by {@link #initUniform}. */
    static final int INIT_CHUNK = 1 << 20;
    private final Backend backend;
    private final List<Slot> slots;
    private final Tensor params;
    private final Tensor grads;
    private final Tensor m;
    private final Tensor v;
    private final Tensor[] paramViews;
    private final Tensor[] gradViews;
    private final int decayCount;
    private AdamW hyper;
    private float lrScale = 1f;
    private int step;

    private ParameterSet(Backend backend, AdamW hyper, List<Slot> ordered) {
        this.backend = backend;
        this.hyper = hyper;
        this.slots = Collections.unmodifiableList(ordered);
        long total = 0;
        long decay = 0;
        int maxIndex = 0;
        for (Slot s : ordered) {
            total += s.size();
            if (s.isWeight()) {
                decay += s.size();
            }
            maxIndex = Math.max(maxIndex, s.index());
        }
        if (total > Shapes.MAX_TENSOR_FLOATS) {
            throw new IllegalArgumentException("a part with " + String.format("%,d", total) + " parameters ("
                    + describe(ordered) + ") is more than uff4j holds in one tensor ("
                    + String.format("%,d", Shapes.MAX_TENSOR_FLOATS) + " values); make it smaller");
        }
        this.decayCount = (int) decay;
        this.params = backend.zeros(1, (int) total);
        this.grads = backend.zeros(1, (int) total);
        this.m = backend.zeros(1, (int) total);
        this.v = backend.zeros(1, (int) total);
        this.paramViews = new Tensor[maxIndex + 1];
        this.gradViews = new Tensor[maxIndex + 1];
        int offset = 0;
        for (Slot s : ordered) {
            paramViews[s.index()] = params.view(offset, s.rows(), s.cols());
            gradViews[s.index()] = grads.view(offset, s.rows(), s.cols());
            offset += s.size();
        }
    }

    /** Its slots' names and shapes, for messages: {@code encoder.weight 784x1000, ...}. */
    private static String describe(List<Slot> slots) {
        StringBuilder b = new StringBuilder();
        for (Slot s : slots) {
            b.append(b.length() == 0 ? "" : ", ").append(s.name()).append(' ').append(s.rows()).append('x')
                    .append(s.cols());
        }
        return b.toString();
    }

    /**
     * The values of a slot, for ops to read and write.
     *
     * @param s a slot of this set
     * @return a {@code rows x cols} view into the set's buffer: writing it changes the parameters
     */
    public Tensor param(Slot s) {
        return paramViews[s.index()];
    }

    /**
     * The gradient of a slot, which a backward writes and {@link #step} uses.
     *
     * @param s a slot of this set
     * @return a {@code rows x cols} view into the set's gradient buffer
     */
    public Tensor grad(Slot s) {
        return gradViews[s.index()];
    }

    /**
     * The slots in layout order: the weights, then the biases.
     *
     * @return an unmodifiable list
     */
    public List<Slot> slots() {
        return slots;
    }

    /**
     * Number of scalar parameters.
     *
     * @return the sum of the slots' sizes
     */
    public int size() {
        return params.size();
    }

    /**
     * Optimizer steps taken so far; AdamW's bias correction uses it, and a cell's noise is keyed by it.
     *
     * @return the number of {@link #step} calls, 0 for a new set
     */
    public int steps() {
        return step;
    }

    /**
     * Replaces the optimizer's hyper-parameters for the following steps (e.g. another learning rate for one cell).
     *
     * @param newHyper the new hyper-parameters; the moments and the step count are kept
     * @throws NullPointerException if {@code newHyper} is null (here, not at the next step)
     */
    public void setHyper(AdamW newHyper) {
        this.hyper = Objects.requireNonNull(newHyper, "newHyper");
    }

    /**
     * Multiplies the learning rate of the following steps (a schedule's factor, 1 by default).
     *
     * @param scale the factor, in [0, 1]
     * @throws IllegalArgumentException if {@code scale} is outside [0, 1] or NaN
     */
    public void setLrScale(float scale) {
        if (!(scale >= 0f && scale <= 1f)) {
            throw new IllegalArgumentException("learning-rate scale must be in [0, 1], got " + scale);
        }
        this.lrScale = scale;
    }

    /** One AdamW step over every parameter, using the gradients written since the last step. */
    public void step() {
        step++;
        backend.adamW(hyper, lrScale, step, params, grads, m, v, decayCount);
    }

    /**
     * PyTorch's default for {@code nn.Linear}: weights and biases uniform in ±1/sqrt(fan_in), where fan_in is the
     * number of rows of the layer's weight. Generated on the host from the seed, in pieces of at most
     * {@value #INIT_CHUNK} values so the host needs no copy of a large slot, and uploaded piece by piece.
     *
     * @param s      a slot of this set
     * @param fanIn  the layer's inputs per output (for a convolution, input channels times kernel taps), at least 1
     * @param random the source of the values, advanced by one draw per value
     */
    public void initUniform(Slot s, int fanIn, SplittableRandom random) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        Tensor target = param(s);
        int size = s.size();
        float[] values = new float[Math.min(size, INIT_CHUNK)];
        for (int from = 0; from < size; from += values.length) {
            int n = Math.min(values.length, size - from);
            for (int i = 0; i < n; i++) {
                values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            backend.upload(values, 0, n == size ? target : target.view(from, 1, n));
        }
    }

    /**
     * The parameter values of a slot, read back (for checkpoints and tests).
     *
     * @param s a slot of this set
     * @return a new array of {@code s.size()} values, row-major
     */
    public float[] read(Slot s) {
        float[] out = new float[s.size()];
        backend.download(param(s), out, 0);
        return out;
    }

    /**
     * Replaces the parameter values of a slot (e.g. from a checkpoint); optimizer state is kept.
     *
     * @param s      a slot of this set
     * @param values {@code s.size()} values, row-major
     * @throws IllegalArgumentException if {@code values} has another length
     */
    public void write(Slot s, float[] values) {
        if (values.length != s.size()) {
            throw new IllegalArgumentException("parameter " + s.name() + " has " + s.size() + " values, got "
                    + values.length);
        }
        backend.upload(values, 0, param(s));
    }

    /**
     * Every parameter of the set, read back in layout order.
     *
     * @return a new array of {@link #size} values: the slots of {@link #slots} one after the other
     */
    public float[] readAll() {
        float[] out = new float[params.size()];
        backend.download(params, out, 0);
        return out;
    }

    /**
     * Replaces every parameter (layout order); optimizer state is kept.
     *
     * @param values {@link #size} values, as {@link #readAll} returns them
     * @throws IllegalArgumentException if {@code values} has another length
     */
    public void writeAll(float[] values) {
        if (values.length != params.size()) {
            throw new IllegalArgumentException("parameter set has " + params.size() + " values, got " + values.length);
        }
        backend.upload(values, 0, params);
    }

    /**
     * The optimizer state, read back (three transfers): for a resumable checkpoint or to hand a part to another
     * process.
     *
     * @return the parameters, moments and step count
     */
    public State state() {
        float[] mm = new float[m.size()];
        float[] vv = new float[v.size()];
        backend.download(m, mm, 0);
        backend.download(v, vv, 0);
        return new State(step, readAll(), mm, vv);
    }

    /**
     * Replaces the parameters, moments and step count with {@code s}, as if the steps had been taken here.
     *
     * @param s a state of a set with this layout ({@link #size()} values)
     * @throws IllegalArgumentException if the sizes differ
     */
    public void restore(State s) {
        Objects.requireNonNull(s, "s");
        if (s.params().length != params.size()) {
            throw new IllegalArgumentException("parameter set has " + params.size() + " values, the state "
                    + s.params().length);
        }
        writeAll(s.params());
        backend.upload(s.m(), 0, m);
        backend.upload(s.v(), 0, v);
        step = s.steps();
    }

    /**
     * The gradients of the last backward, read back in layout order (for gradient checks).
     *
     * @return a new array of {@link #size} values, laid out as {@link #readAll}
     */
    public float[] readAllGradients() {
        float[] out = new float[grads.size()];
        backend.download(grads, out, 0);
        return out;
    }
}
