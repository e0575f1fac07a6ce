package dev.uff4j.model;

import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The back-propagation baselines: a stack of layers and a head trained end to end on cross-entropy. For bp the
 * layers are dense, with the UFF cells' encoder epilogue and widths; for bp-cnn they are the cae cells' encoder
 * stages ({@link ConvStage}), as the UFF paper compares. With a head on all layers, each layer's gradient is the sum
 * of its slice of the head's input gradient and what the layer above sends down.
 */
final class EndToEndModel implements Model {
    private final BackendScope backend;
    private final ModelSpec spec;
    private final ParameterSet encoderParams;
    private final List<Layer> layers = new ArrayList<>();
    private final ClassifierHead head;
    private final HeadFeatures headInput;
    private final Tensor dFeatures;
    private final List<Tensor> dOutputs = new ArrayList<>();

    EndToEndModel(BackendScope backend, ModelSpec spec) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        if (spec.kind() != ModelKind.BP && spec.kind() != ModelKind.BP_CNN) {
            throw new IllegalArgumentException("an end-to-end model is bp or bp-cnn, not " + spec.kind().id());
        }
        this.backend = backend;
        this.spec = spec;
        ModelSpec.Cells cells = spec.cells();
        int batch = spec.optimization().batch();
        ParameterSet.Builder b = new ParameterSet.Builder();
        List<ParameterSet.Slot[]> slots = new ArrayList<>();
        for (int i = 0; i < cells.count(); i++) {
            if (spec.kind() == ModelKind.BP) {
                int in = i == 0 ? spec.inputSize() : cells.hidden();
                slots.add(DenseLayer.declare(b, "layer" + (i + 1), in, cells.hidden()));
            } else {
                CellSpec c = spec.cell(i);
                slots.add(ConvStage.declare(b, "stage" + (i + 1), c.image(), c.featureMaps()));
            }
        }
        this.encoderParams = b.build(backend, spec.optimization().optimizer());
        for (int i = 0; i < cells.count(); i++) {
            Layer layer = spec.kind() == ModelKind.BP
                    ? new DenseLayer(backend, encoderParams, slots.get(i), cells.latentEpilogue(), batch)
                    : new ConvStage(backend, encoderParams, slots.get(i), spec.cell(i).image(), cells.activation(),
                    batch);
            layer.init(new SplittableRandom(Seeds.derive(spec.seed(), "cell", i)));
            layers.add(layer);
        }
        this.head = new ClassifierHead(backend, spec.headInputSize(), spec.head().hidden(), spec.classes(),
                spec.optimization().optimizer(), batch, Seeds.derive(spec.seed(), "head", 0));
        this.headInput = new HeadFeatures(backend, spec);
        this.dFeatures = backend.zeros(batch, spec.headInputSize());
        for (int i = 0; i < cells.count(); i++) {
            dOutputs.add(backend.zeros(batch, spec.latentSize(i)));
        }
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void trainBatch(int stage, Tensor x, Tensor labels) {
        spec.checkBatch("trainBatch", x);
        int n = x.rows();
        int depth = layers.size();
        Tensor input = x;
        for (int i = 0; i < depth; i++) {
            input = headInput.collect(i, layers.get(i).forwardTrain(input));
        }
        Tensor dHead = dFeatures.firstRows(n);
        head.trainStep(headInput.of(input), labels, dHead);
        int last = depth - 1;
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
            Tensor layerInput = i == 0 ? x : layers.get(i - 1).lastOutput(n);
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

    @Override
    public Tensor logits(Tensor x) {
        spec.checkBatch("logits", x);
        return head.logits(features(x));
    }

    @Override
    public Tensor features(Tensor x) {
        spec.checkBatch("features", x);
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
        return head.takeMetrics();
    }

    /** The head's loss: the encoder has none of its own, and a diverged encoder shows there. */
    @Override
    public String nonFiniteLoss() {
        return head.losses().firstNonFinite() >= 0 ? "head" : null;
    }

    @Override
    public Map<String, ParameterSet> parameterGroups() {
        Map<String, ParameterSet> groups = new LinkedHashMap<>();
        groups.put("encoder", encoderParams);
        groups.put("head", head.parameters());
        return groups;
    }

    /** Frees every tensor of the model; the backend stays open. */
    @Override
    public void close() {
        backend.close();
    }
}
