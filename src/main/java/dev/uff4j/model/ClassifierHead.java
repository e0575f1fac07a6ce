package dev.uff4j.model;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Tensor;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The classifier on (detached) features (build one with {@link Models#head}): linear ({@code hidden == 0}) or one ReLU hidden layer, softmax
 * cross-entropy, its own AdamW. Its gradient stops at its input: it never reaches the cells.
 */
public final class ClassifierHead {
    private final Backend backend;
    private final ParameterSet params;
    private final DenseLayer hiddenLayer;
    private final DenseLayer output;
    private final Tensor dLogits;
    private final Tensor dHidden;
    private final LossMeter losses;

    ClassifierHead(Backend backend, int input, int hidden, int classes, AdamW hyper, int maxBatch, long seed) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(hyper, "hyper");
        this.backend = backend;
        ParameterSet.Builder b = new ParameterSet.Builder();
        ParameterSet.Slot[] h = hidden > 0 ? DenseLayer.declare(b, "hidden", input, hidden) : null;
        ParameterSet.Slot[] o = DenseLayer.declare(b, "output", hidden > 0 ? hidden : input, classes);
        this.params = b.build(backend, hyper);
        SplittableRandom random = new SplittableRandom(seed);
        this.hiddenLayer = h == null ? null
                : new DenseLayer(backend, params, h, Epilogue.of(Activation.RELU), maxBatch);
        this.output = new DenseLayer(backend, params, o, Epilogue.of(Activation.IDENTITY), maxBatch);
        if (hiddenLayer != null) {
            hiddenLayer.init(random);
        }
        output.init(random);
        this.dLogits = backend.zeros(maxBatch, classes);
        this.dHidden = hidden > 0 ? backend.zeros(maxBatch, hidden) : null;
        this.losses = new LossMeter(backend, 2);
    }

    /**
     * Class scores of a batch (inference).
     *
     * @param features {@code rows x input} features, at most the batch the head was built for
     * @return {@code rows x classes} logits, valid until the head's next call
     */
    public Tensor logits(Tensor features) {
        Tensor x = hiddenLayer == null ? features : hiddenLayer.forward(features);
        return output.forward(x);
    }

    /**
     * One optimizer step of softmax cross-entropy; the loss goes into slot 0 and the correct count into slot 1 of
     * {@link #losses()}.
     *
     * @param features {@code rows x input} features (detached: no gradient goes back into them)
     * @param labels   {@code rows x 1} class indices
     */
    public void trainStep(Tensor features, Tensor labels) {
        trainStep(features, labels, null);
    }

    /**
     * One step that also writes the gradient of the loss with respect to {@code features} into {@code dFeatures}
     * when it is not null: only the back-propagation baseline asks for it; UFF heads stay detached.
     *
     * @param features  {@code rows x input} features
     * @param labels    {@code rows x 1} class indices
     * @param dFeatures receives {@code rows x input} gradients, or null
     */
    public void trainStep(Tensor features, Tensor labels, Tensor dFeatures) {
        int n = features.rows();
        Tensor x = hiddenLayer == null ? features : hiddenLayer.forwardTrain(features);
        Tensor logits = output.forwardTrain(x);
        Tensor g = dLogits.firstRows(n);
        backend.softmaxCrossEntropy(logits, labels, g, losses.sums(), 0);
        if (hiddenLayer == null) {
            output.backwardFromPreActivation(x, g, dFeatures);
        } else {
            Tensor dh = dHidden.firstRows(n);
            output.backwardFromPreActivation(x, g, dh);
            hiddenLayer.backward(features, dh, dFeatures);
        }
        params.step();
        losses.count(n);
    }

    /**
     * What a model reports for an interval: the losses of the parts below the head ({@code below}, e.g. each cell's),
     * then the head's mean cross-entropy per step, and the head's training accuracy; reads the accumulators once and
     * resets them. NaN for what did not train.
     *
     * @param below the losses of the parts below, in order
     * @return those losses, then the head's, and the head's training accuracy
     */
    public Model.TrainMetrics takeMetrics(double... below) {
        LossMeter.Interval interval = losses.take();
        double[] all = java.util.Arrays.copyOf(below, below.length + 1);
        all[below.length] = interval.perStep(0);
        return new Model.TrainMetrics(all, interval.perSample(1));
    }

    /**
     * The head's accumulators on the backend.
     *
     * @return slot 0: the cross-entropy summed over steps; slot 1: the correct predictions summed over samples
     */
    public LossMeter losses() {
        return losses;
    }

    /**
     * The head's parameters, with their AdamW state.
     *
     * @return the parameter set
     */
    public ParameterSet parameters() {
        return params;
    }
}
