package dev.uff4j.model;

import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The Forward-Forward baseline (Hinton, 2022, the supervised version). The label is written into the first
 * {@code classes} inputs (one-hot, value 1); positive data carries the true label, negative data a wrong one: a hard
 * negative, drawn for every sample and step from the model's own goodness of the wrong labels (see
 * {@link #NEGATIVE_TEMPERATURE}), as Hinton did for his best MNIST result. Each layer is trained on its own: its
 * goodness (the mean of its squared activities) should exceed {@link #THRESHOLD} for positive data and stay below it
 * for negative data (logistic loss on the difference, times {@link #SHARPNESS}). The layer's input is
 * length-normalised and passed on detached, so no gradient crosses a layer; every layer steps on every batch.
 * Positive and negative data go through a layer as one batch of 2n rows, so one weight gradient holds both halves.
 *
 * <p>Prediction ({@link #logits}): the image with each label in turn; the score of a label is the goodness
 * accumulated over all layers (Hinton leaves the first layer out; here every layer scored better). A linear readout
 * is the linear probe of {@code --baselines} on
 * {@link #features}: the normalised activities of the layers for the image with a neutral label (0.1 in every
 * label position).
 */
final class FfModel implements Model {
    /**
     * The goodness threshold. Goodness is the mean (not the sum) of the squared activities, so the threshold does not
     * depend on the width; 1 equals the common choice "sum of squares against the number of units", and it beat 0.5
     * and 2. Every setting of this class was chosen by the runs in docs/results.md (Forward-Forward).
     */
    public static final float THRESHOLD = 1.0f;
    /**
     * The logistic loss's logit is {@code SHARPNESS · (goodness - THRESHOLD)}. With 1 every sample keeps pulling on
     * the weights (its logit stays within a few units of 0); with a large value, samples already on the right side of
     * the threshold stop contributing, as with the sum of squares against the number of units (1000 here); 30 did
     * best of 1 to 1000.
     */
    public static final float SHARPNESS = 30f;
    /**
     * Negative labels are drawn among the wrong labels with probability proportional to
     * {@code exp(NEGATIVE_TEMPERATURE · goodness)}, the goodness summed over the layers as for prediction, so that
     * the labels the model confuses with the true one are the ones it learns to reject (Hinton's choice for his best
     * MNIST result, and better than uniformly random wrong labels here at every epoch). It costs a goodness
     * evaluation of every label per step (about 2.5 times the step's compute).
     */
    public static final float NEGATIVE_TEMPERATURE = 10f;
    /** The value written at the label's position (pixels are in [0, 1]). */
    public static final float LABEL_VALUE = 1.0f;
    /** The neutral label of the readout features: this value in every label position (Hinton, 2022). */
    public static final float NEUTRAL_VALUE = 0.1f;

    private final BackendScope backend;
    private final ModelSpec spec;
    private final List<DenseLayer> layers = new ArrayList<>();
    /** The same layers with buffers of one batch, for scoring labels (no views per training step). */
    private final List<DenseLayer> scoringLayers = new ArrayList<>();
    private final List<Tensor> scoringNormalized = new ArrayList<>();
    private final Tensor scoringInput;
    private final List<ParameterSet> params = new ArrayList<>();
    private final List<Tensor> normalized = new ArrayList<>();
    private final List<Tensor> dh = new ArrayList<>();
    private final Tensor both;
    private final Tensor wrong;
    private final Tensor fixedLabel;
    private final Tensor scores;
    private final Tensor features;
    private final LossMeter losses;
    private final long negativeSeed;

    FfModel(BackendScope backend, ModelSpec spec) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        if (spec.kind() != ModelKind.FF) {
            throw new IllegalArgumentException("not a Forward-Forward spec: " + spec.kind());
        }
        this.backend = backend;
        this.spec = spec;
        int batch = spec.optimization().batch();
        int rows = 2 * batch;
        int width = spec.cells().hidden();
        Epilogue epilogue = Epilogue.of(spec.cells().activation());
        for (int i = 0; i < spec.cells().count(); i++) {
            int in = i == 0 ? spec.inputSize() : width;
            ParameterSet.Builder b = new ParameterSet.Builder();
            ParameterSet.Slot[] slots = DenseLayer.declare(b, "layer" + (i + 1), in, width);
            ParameterSet set = b.build(backend, spec.optimization().optimizer());
            DenseLayer layer = new DenseLayer(backend, set, slots, epilogue, rows);
            layer.init(new SplittableRandom(Seeds.derive(spec.seed(), "cell", i)));
            params.add(set);
            layers.add(layer);
            scoringLayers.add(new DenseLayer(backend, set, slots, epilogue, batch));
            scoringNormalized.add(backend.zeros(batch, in));
            normalized.add(backend.zeros(rows, in));
            dh.add(backend.zeros(rows, width));
        }
        this.both = backend.zeros(rows, spec.inputSize());
        this.scoringInput = backend.zeros(batch, spec.inputSize());
        this.wrong = backend.zeros(batch, 1);
        this.fixedLabel = backend.zeros(batch, 1);
        this.scores = backend.zeros(batch, spec.classes());
        this.features = backend.zeros(batch, featureSize());
        this.losses = new LossMeter(backend, 2 * spec.cells().count());
        this.negativeSeed = Seeds.derive(spec.seed(), "negatives", 0);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    /** Positive data in rows 0..n of each stacked buffer, negative data in rows n..2n. */
    @Override
    public void trainBatch(int stage, Tensor x, Tensor labels) {
        spec.checkBatch("trainBatch", x);
        int n = x.rows();
        int classes = spec.classes();
        Tensor positive = both.rowRange(0, n);
        Tensor negative = both.rowRange(n, n);
        Tensor wrongLabels = wrong.firstRows(n);
        // the stream is the step count, which a resumed run restores with the parameters
        backend.sampleWrongLabels(logits(x), labels, NEGATIVE_TEMPERATURE, negativeSeed, params.get(0).steps(),
                wrongLabels);
        backend.overlayLabels(x, labels, classes, LABEL_VALUE, positive);
        backend.overlayLabels(x, wrongLabels, classes, LABEL_VALUE, negative);
        Tensor input = both.firstRows(2 * n);
        for (int i = 0; i < layers.size(); i++) {
            Tensor norm = normalized.get(i).firstRows(2 * n);
            backend.normalizeRows(input, norm);
            DenseLayer layer = layers.get(i);
            Tensor h = layer.forwardTrain(norm);
            Tensor g = dh.get(i).firstRows(2 * n);
            backend.goodnessLoss(h.rowRange(0, n), SHARPNESS, THRESHOLD, g.rowRange(0, n), losses.sums(), 2 * i);
            backend.goodnessLoss(h.rowRange(n, n), -SHARPNESS, THRESHOLD, g.rowRange(n, n), losses.sums(),
                    2 * i + 1);
            layer.backward(norm, g, null);
            params.get(i).step();
            input = h;
        }
        losses.count(n);
    }

    @Override
    public void setLrScale(int stage, float scale) {
        for (ParameterSet p : params) {
            p.setLrScale(scale);
        }
    }

    /** Goodness of every label, accumulated over the layers (see the class comment). */
    @Override
    public Tensor logits(Tensor x) {
        spec.checkBatch("logits", x);
        int n = x.rows();
        Tensor out = scores.firstRows(n);
        Tensor label = fixedLabel.firstRows(n);
        Tensor overlaid = scoringInput.firstRows(n);
        backend.fill(out, 0f);
        for (int c = 0; c < spec.classes(); c++) {
            backend.fill(label, c);
            backend.overlayLabels(x, label, spec.classes(), LABEL_VALUE, overlaid);
            Tensor input = overlaid;
            for (int i = 0; i < layers.size(); i++) {
                Tensor norm = scoringNormalized.get(i).firstRows(n);
                backend.normalizeRows(input, norm);
                input = scoringLayers.get(i).forward(norm);
                backend.addGoodness(input, out, c);
            }
        }
        return out;
    }

    /** The normalised activities for the image with a neutral label: of every layer, or the last (--head-input). */
    @Override
    public Tensor features(Tensor x) {
        spec.checkBatch("features", x);
        int n = x.rows();
        Tensor overlaid = both.firstRows(n);
        backend.overlayLabels(x, null, spec.classes(), NEUTRAL_VALUE, overlaid);
        Tensor input = overlaid;
        boolean all = spec.head().input() == HeadInput.ALL && layers.size() > 1;
        Tensor out = features.firstRows(n);
        for (int i = 0; i < layers.size(); i++) {
            Tensor norm = normalized.get(i).firstRows(n);
            backend.normalizeRows(input, norm);
            input = layers.get(i).forward(norm);
            if (all || i == layers.size() - 1) {
                Tensor normOut = dh.get(i).firstRows(n); // scratch: not training now
                backend.normalizeRows(input, normOut);
                backend.copyColumns(normOut, out, all ? i * spec.cells().hidden() : 0);
            }
        }
        return out;
    }

    @Override
    public List<String> lossNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            names.add("layer" + (i + 1) + "+");
            names.add("layer" + (i + 1) + "-");
        }
        return names;
    }

    /** Per layer: the goodness loss on positive data, then on negative data, mean per step; no training accuracy. */
    @Override
    public TrainMetrics takeMetrics() {
        LossMeter.Interval interval = losses.take();
        double[] out = new double[2 * layers.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = interval.perStep(i);
        }
        return new TrainMetrics(out, Double.NaN);
    }

    @Override
    public String nonFiniteLoss() {
        int slot = losses.firstNonFinite();
        return slot < 0 ? null : "layer" + (slot / 2 + 1);
    }

    @Override
    public Map<String, ParameterSet> parameterGroups() {
        Map<String, ParameterSet> groups = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            groups.put("layer" + (i + 1), params.get(i));
        }
        return groups;
    }

    /** Frees every tensor of the model; the backend stays open. */
    @Override
    public void close() {
        backend.close();
    }
}
