package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The CNN baseline (bp-cnn): the encoders of the cae cells ({@link ConvStage}: 3x3 convolution, ReLU, 2x2 max
 * pooling) and the same head, trained end to end by back-propagation, as the UFF paper compares. With a head on all
 * stages, a stage's gradient is its slice of the head's input gradient plus what the stage above sends down.
 */
public final class BpCnnModel implements Model {
    private final Backend backend;
    private final ModelSpec spec;
    private final ParameterSet params;
    private final List<ConvStage> stages = new ArrayList<>();
    private final ClassifierHead head;
    private final HeadFeatures headInput;
    private final Tensor dFeatures;
    private final List<Tensor> dOutputs = new ArrayList<>();
    private final List<Tensor> outputs = new ArrayList<>();

    public BpCnnModel(Backend backend, ModelSpec spec) {
        if (spec.kind() != ModelKind.BP_CNN) {
            throw new IllegalArgumentException("not a bp-cnn spec: " + spec.kind());
        }
        this.backend = backend;
        this.spec = spec;
        ParameterSet.Builder b = new ParameterSet.Builder();
        List<ParameterSet.Slot[]> slots = new ArrayList<>();
        for (int i = 0; i < spec.cells(); i++) {
            CellSpec c = spec.cell(i);
            slots.add(ConvStage.declare(b, "stage" + (i + 1), c.image(), c.featureMaps()));
        }
        this.params = b.build(backend, spec.optimizer());
        for (int i = 0; i < spec.cells(); i++) {
            CellSpec c = spec.cell(i);
            ConvStage stage = new ConvStage(backend, params, slots.get(i), c.image(), spec.activation(), spec.batch());
            stage.init(new SplittableRandom(Seeds.derive(spec.seed(), "cell", i)));
            stages.add(stage);
            dOutputs.add(backend.zeros(spec.batch(), c.hidden()));
        }
        this.head = new ClassifierHead(backend, spec.headInputSize(), spec.headHidden(), spec.classes(),
                spec.optimizer(), spec.batch(), Seeds.derive(spec.seed(), "head", 0));
        this.headInput = new HeadFeatures(backend, spec);
        this.dFeatures = backend.zeros(spec.batch(), spec.headInputSize());
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void trainBatch(int stage, Tensor x, Tensor labels) {
        int n = x.rows();
        outputs.clear();
        Tensor input = x;
        for (int i = 0; i < stages.size(); i++) {
            input = headInput.collect(i, stages.get(i).forward(input));
            outputs.add(input);
        }
        Tensor dHead = dFeatures.firstRows(n);
        head.trainStep(headInput.of(input), labels, dHead);
        int last = stages.size() - 1;
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
            Tensor stageInput = i == 0 ? x : outputs.get(i - 1);
            Tensor dx = i == 0 ? null : dOutputs.get(i - 1).firstRows(n);
            stages.get(i).backward(stageInput, dOut, dx);
        }
        params.step();
    }

    @Override
    public void setLrScale(int stage, float scale) {
        params.setLrScale(scale);
        head.parameters().setLrScale(scale);
    }

    @Override
    public Tensor logits(Tensor x) {
        return head.logits(features(x));
    }

    @Override
    public Tensor features(Tensor x) {
        Tensor input = x;
        for (int i = 0; i < stages.size(); i++) {
            input = headInput.collect(i, stages.get(i).forward(input));
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
        groups.put("encoder", params);
        groups.put("head", head.parameters());
        return groups;
    }
}
