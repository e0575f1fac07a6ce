package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The back-propagation baseline: the same encoder layers as the UFF cells (same epilogue, same widths) and the
 * same head, trained end to end on cross-entropy.
 */
public final class BpModel extends EndToEndModel {
    private final List<DenseLayer> layers = new ArrayList<>();

    public BpModel(Backend backend, ModelSpec spec) {
        this(backend, spec, new ParameterSet.Builder(), new ArrayList<>());
    }

    private BpModel(Backend backend, ModelSpec spec, ParameterSet.Builder b, List<ParameterSet.Slot[]> slots) {
        super(backend, spec, declare(spec, b, slots).build(backend, spec.optimizer()));
        for (int i = 0; i < spec.cells(); i++) {
            DenseLayer layer = new DenseLayer(backend, encoderParams, slots.get(i), spec.latentEpilogue(),
                    spec.batch());
            layer.init(new SplittableRandom(Seeds.derive(spec.seed(), "cell", i)));
            layers.add(layer);
        }
    }

    private static ParameterSet.Builder declare(ModelSpec spec, ParameterSet.Builder b,
                                                List<ParameterSet.Slot[]> slots) {
        for (int i = 0; i < spec.cells(); i++) {
            slots.add(DenseLayer.declare(b, "layer" + (i + 1), i == 0 ? spec.inputSize() : spec.hidden(),
                    spec.hidden()));
        }
        return b;
    }

    @Override
    Tensor forwardTrain(int i, Tensor x) {
        return layers.get(i).forwardTrain(x);
    }

    @Override
    Tensor forward(int i, Tensor x) {
        return layers.get(i).forward(x);
    }

    @Override
    Tensor lastOutput(int i, int rows) {
        return layers.get(i).lastOutput(rows);
    }

    @Override
    void backward(int i, Tensor x, Tensor dOut, Tensor dx) {
        layers.get(i).backward(x, dOut, dx);
    }
}
