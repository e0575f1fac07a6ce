package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stack of layers and a head trained end to end by back-propagation: the baselines bp (dense layers) and bp-cnn
 * (convolutional stages). With a head on all layers, each layer's gradient is the sum of its slice of the head's
 * input gradient and what the layer above sends down. Subclasses provide the layers.
 */
abstract class EndToEndModel implements Model {
    final Backend backend;
    final ModelSpec spec;
    final ParameterSet encoderParams;
    private final ClassifierHead head;
    private final HeadFeatures headInput;
    private final Tensor dFeatures;
    private final List<Tensor> dOutputs = new ArrayList<>();

    EndToEndModel(Backend backend, ModelSpec spec, ParameterSet encoderParams) {
        this.backend = backend;
        this.spec = spec;
        this.encoderParams = encoderParams;
        this.head = new ClassifierHead(backend, spec.headInputSize(), spec.headHidden(), spec.classes(),
                spec.optimizer(), spec.batch(), Seeds.derive(spec.seed(), "head", 0));
        this.headInput = new HeadFeatures(backend, spec);
        this.dFeatures = backend.zeros(spec.batch(), spec.headInputSize());
        for (int i = 0; i < spec.cells(); i++) {
            dOutputs.add(backend.zeros(spec.batch(), spec.latentSize(i)));
        }
    }

    /** Layer {@code i}'s forward for training (keeping what its backward needs). */
    abstract Tensor forwardTrain(int i, Tensor x);

    /** Layer {@code i}'s forward for inference. */
    abstract Tensor forward(int i, Tensor x);

    /** The output of layer {@code i}'s last forward, first {@code rows} rows. */
    abstract Tensor lastOutput(int i, int rows);

    /** Layer {@code i}'s parameter gradients and, when {@code dx} is not null, its input gradient. */
    abstract void backward(int i, Tensor x, Tensor dOut, Tensor dx);

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void trainBatch(int stage, Tensor x, Tensor labels) {
        int n = x.rows();
        int depth = spec.cells();
        Tensor input = x;
        for (int i = 0; i < depth; i++) {
            input = headInput.collect(i, forwardTrain(i, input));
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
            Tensor layerInput = i == 0 ? x : lastOutput(i - 1, n);
            Tensor dx = i == 0 ? null : dOutputs.get(i - 1).firstRows(n);
            backward(i, layerInput, dOut, dx);
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
        return head.logits(features(x));
    }

    @Override
    public Tensor features(Tensor x) {
        Tensor input = x;
        for (int i = 0; i < spec.cells(); i++) {
            input = headInput.collect(i, forward(i, input));
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
