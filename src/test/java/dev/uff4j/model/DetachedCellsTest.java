package dev.uff4j.model;

import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * No gradient crosses a cell: whatever happens in cell 2 (another learning rate, another loss), cell 1's weights
 * come out bit-identical. The same experiment on the back-propagation baseline shows that the test can see a
 * crossing gradient: there, changing the head's learning rate changes the first layer.
 */
class DetachedCellsTest {
    private static final int STEPS = 25;
    private static final int BATCH = 8;
    private static final int INPUT = 30;

    private static ModelSpec spec(ModelKind kind) {
        return TestSpecs.spec(kind, INPUT, 4, 2, 12, new Epilogue(Activation.RELU, 0, true), Noise.NONE, 0f, 0,
                HeadInput.ALL, BATCH, 77);
    }

    /** Trains a model for STEPS steps on fixed random batches; returns its parameter groups read back. */
    private static List<float[]> train(Function<Backend, Model> factory) {
        try (Backend b = new CpuBackend(2)) {
            Model model = factory.apply(b);
            SplittableRandom r = new SplittableRandom(3);
            for (int s = 0; s < STEPS; s++) {
                Tensor x = upload(b, uniform(r, BATCH * INPUT, 0, 1), BATCH, INPUT);
                float[] y = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    y[i] = r.nextInt(4);
                }
                model.trainBatch(0, x, upload(b, y, BATCH, 1));
            }
            List<float[]> out = new ArrayList<>();
            for (ParameterSet p : model.parameterGroups().values()) {
                out.add(p.readAll());
            }
            return out;
        }
    }

    @Test
    void cellOneIsBitIdenticalWhateverCellTwoDoes() {
        ModelSpec spec = spec(ModelKind.AE);
        List<float[]> base = train(b -> new UffModel(new BackendScope(b), spec));
        List<float[]> fasterCell2 = train(b -> {
            UffModel m = new UffModel(new BackendScope(b), spec);
            m.cells().get(1).parameters().setHyper(spec.optimization().optimizer().withLr(0.05));
            return m;
        });
        List<float[]> otherLossCell2 = train(b -> {
            CellSpec c2 = spec.cell(1);
            CellSpec sparse = new CellSpec(c2.kind(), c2.input(), c2.hidden(), c2.train(), c2.latent(), Activation.IDENTITY,
                    c2.noise(), 0.1f, 0f);
            return new UffModel(new BackendScope(b), spec, List.of(spec.cell(0), sparse));
        });
        // groups: cell1, cell2, head
        assertArrayEquals(base.get(0), fasterCell2.get(0), "cell 1 after changing cell 2's learning rate");
        assertArrayEquals(base.get(0), otherLossCell2.get(0), "cell 1 after changing cell 2's loss");
        assertFalse(Arrays.equals(base.get(1), fasterCell2.get(1)), "cell 2's learning rate took effect");
        assertFalse(Arrays.equals(base.get(1), otherLossCell2.get(1)), "cell 2's loss took effect");
        assertFalse(Arrays.equals(base.get(2), fasterCell2.get(2)), "the head reads cell 2's changed latents");
    }

    @Test
    void headOnDetachedLatentsLeavesEveryCellBitIdentical() {
        ModelSpec spec = spec(ModelKind.AE);
        List<float[]> base = train(b -> new UffModel(new BackendScope(b), spec));
        List<float[]> fasterHead = train(b -> {
            UffModel m = new UffModel(new BackendScope(b), spec);
            m.head().parameters().setHyper(spec.optimization().optimizer().withLr(0.05));
            return m;
        });
        assertArrayEquals(base.get(0), fasterHead.get(0), "cell 1 after changing the head");
        assertArrayEquals(base.get(1), fasterHead.get(1), "cell 2 after changing the head");
        assertFalse(Arrays.equals(base.get(2), fasterHead.get(2)), "the head's learning rate took effect");
    }

    @Test
    void theSameExperimentSeesTheGradientCrossingInBackPropagation() {
        ModelSpec spec = spec(ModelKind.BP);
        List<float[]> base = train(b -> new EndToEndModel(new BackendScope(b), spec));
        List<float[]> fasterHead = train(b -> {
            EndToEndModel m = new EndToEndModel(new BackendScope(b), spec);
            m.parameterGroups().get("head").setHyper(spec.optimization().optimizer().withLr(0.05));
            return m;
        });
        // groups: encoder (all layers), head
        assertFalse(Arrays.equals(base.get(0), fasterHead.get(0)),
                "in BP the head's learning rate reaches the encoder layers");
    }
}
