package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The CNN baseline (bp-cnn): the encoders of the cae cells ({@link ConvStage}: 3x3 convolution, ReLU, 2x2 max
 * pooling) and the same head, trained end to end by back-propagation, as the UFF paper compares.
 */
public final class BpCnnModel extends EndToEndModel {
    private final List<ConvStage> stages = new ArrayList<>();

    public BpCnnModel(Backend backend, ModelSpec spec) {
        this(backend, spec, new ParameterSet.Builder(), new ArrayList<>());
    }

    private BpCnnModel(Backend backend, ModelSpec spec, ParameterSet.Builder b, List<ParameterSet.Slot[]> slots) {
        super(backend, spec, declare(spec, b, slots).build(backend, spec.optimizer()));
        for (int i = 0; i < spec.cells(); i++) {
            CellSpec c = spec.cell(i);
            ConvStage stage = new ConvStage(backend, encoderParams, slots.get(i), c.image(), spec.activation(),
                    spec.batch());
            stage.init(new SplittableRandom(Seeds.derive(spec.seed(), "cell", i)));
            stages.add(stage);
        }
    }

    private static ParameterSet.Builder declare(ModelSpec spec, ParameterSet.Builder b,
                                                List<ParameterSet.Slot[]> slots) {
        if (spec.kind() != ModelKind.BP_CNN) {
            throw new IllegalArgumentException("not a bp-cnn spec: " + spec.kind());
        }
        for (int i = 0; i < spec.cells(); i++) {
            CellSpec c = spec.cell(i);
            slots.add(ConvStage.declare(b, "stage" + (i + 1), c.image(), c.featureMaps()));
        }
        return b;
    }

    @Override
    Tensor forwardTrain(int i, Tensor x) {
        return stages.get(i).forward(x);
    }

    @Override
    Tensor forward(int i, Tensor x) {
        return stages.get(i).forward(x);
    }

    @Override
    Tensor lastOutput(int i, int rows) {
        return stages.get(i).lastOutput(rows);
    }

    @Override
    void backward(int i, Tensor x, Tensor dOut, Tensor dx) {
        stages.get(i).backward(x, dOut, dx);
    }
}
