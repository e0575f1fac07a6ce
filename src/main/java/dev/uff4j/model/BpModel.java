package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The back-propagation baseline: the same encoder layers as the UFF cells (same epilogue, same widths) and the
 * same head, trained end to end on cross-entropy. With a head on all layers, each layer's gradient is the sum of
 * what the head sends to its slice and what the layer above sends down.
 */
public final class BpModel implements Model {
    private final Backend backend;
    private final ModelSpec spec;
    private final ParameterSet encoderParams;
    private final List<DenseLayer> layers;
    private final ClassifierHead head;
    private final HeadFeatures headInput;
    private final Tensor dFeatures;
    private final List<Tensor> dOutputs;

    public BpModel(Backend backend, ModelSpec spec) {
        this.backend = backend;
        this.spec = spec;
        ParameterSet.Builder b = new ParameterSet.Builder();
        List<ParameterSet.Slot[]> slots = new ArrayList<>();
        for (int i = 0; i < spec.cells(); i++) {
            slots.add(DenseLayer.declare(b, "layer" + (i + 1), i == 0 ? spec.inputSize() : spec.hidden(),
                    spec.hidden()));
        }
        this.encoderParams = b.build(backend, spec.optimizer());
        this.layers = new ArrayList<>();
        for (int i = 0; i < spec.cells(); i++) {
            DenseLayer layer = new DenseLayer(backend, encoderParams, slots.get(i), spec.latentEpilogue(), spec.batch());
            layer.init(new SplittableRandom(Seeds.derive(spec.seed(), "cell", i)));
            layers.add(layer);
        }
        this.head = new ClassifierHead(backend, spec.headInputSize(), spec.headHidden(), spec.classes(),
                spec.optimizer(), spec.batch(), Seeds.derive(spec.seed(), "head", 0));
        this.headInput = new HeadFeatures(backend, spec);
        this.dFeatures = backend.zeros(spec.batch(), spec.headInputSize());
        this.dOutputs = new ArrayList<>();
        for (int i = 0; i < spec.cells(); i++) {
            dOutputs.add(backend.zeros(spec.batch(), spec.hidden()));
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void trainBatch(int stage, Tensor x, Tensor labels) {
        int n = x.rows();
        Tensor input = x;
        for (int i = 0; i < layers.size(); i++) {
            input = headInput.collect(i, layers.get(i).forwardTrain(input));
        }
        Tensor dHead = dFeatures.firstRows(n);
        head.trainStep(headInput.of(input), labels, dHead);
        int last = layers.size() - 1;
        for (int i = last; i >= 0; i--) {
            Tensor dOut = dOutputs.get(i).firstRows(n);
            if (headInput.concatenated()) {
                if (i == last) {
                    backend.fill(dOut, 0f);
                }
                backend.addColumns(dHead, headInput.offset(i), dOut);
            } else if (i == last) {
                dOut = dHead;
            }
            Tensor layerInput = i == 0 ? x : layerOutput(i - 1, n);
            Tensor dx = i == 0 ? null : dOutputs.get(i - 1).firstRows(n);
            layers.get(i).backward(layerInput, dOut, dx);
        }
        encoderParams.step();
    }

    @Override
    public void setLrScale(int stage, float scale) {
        encoderParams.setLrScale(scale);
        head.parameters().setLrScale(scale);
    }

    /** The training output of layer i (its buffer still holds the last forward). */
    private Tensor layerOutput(int i, int n) {
        return layers.get(i).lastOutput(n);
    }

    @Override
    public Tensor logits(Tensor x) {
        return head.logits(features(x));
    }

    @Override
    public Tensor features(Tensor x) {
        Tensor input = x;
        for (int i = 0; i < layers.size(); i++) {
            input = headInput.collect(i, layers.get(i).forward(input));
        }
        return headInput.of(input);
    }

    @Override
    public List<String> lossNames() {
        return List.of("head");
    }

    @Override
    public TrainMetrics takeMetrics() {
        double[] h = head.takeMetrics();
        return new TrainMetrics(new double[] {h[0]}, h[1]);
    }

    @Override
    public Map<String, ParameterSet> parameterGroups() {
        Map<String, ParameterSet> groups = new LinkedHashMap<>();
        groups.put("encoder", encoderParams);
        groups.put("head", head.parameters());
        return groups;
    }
}
