package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Backends;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.checkpoint.ModelCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.uff4j.backend.TestArrays.download;
import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The convolutional models (cae, mixed cell lists, bp-cnn) on small images: geometry of a cell list, determinism
 * across thread counts, no allocation per step, a checkpoint round trip, and the same losses on CPU and GPU.
 */
class ConvModelTest {
    private static final int SIDE = 6;
    private static final int INPUT = 2 * SIDE * SIDE;
    private static final int BATCH = 16;

    /**
     * 2 x 6 x 6 images; cae:4 -> 4 x 3 x 3 (pooled), cae:3 -> 3 x 3 x 3 (an odd size: not pooled), then (for uff) a
     * dense ae:7. Every test below so covers both pooling windows.
     */
    private static ModelSpec spec(ModelKind kind, long seed) {
        List<CellDef> cells = new ArrayList<>(List.of(new CellDef(CellKind.CAE, 4), new CellDef(CellKind.CAE, 3)));
        if (kind == ModelKind.CAE) {
            cells.add(new CellDef(CellKind.AE, 7));
        }
        // cae: lifetime sparse cells (a quarter of the batch wins per unit), so every test covers that path too
        return TestSpecs.builder(kind, INPUT, 5).channels(2).cellList(cells).hidden(1)
                .lifetime(kind == ModelKind.CAE ? 0.25f : 0f).batch(BATCH).seed(seed).build();
    }

    @Test
    void aCellListHasTheStatedGeometry() {
        ModelSpec s = spec(ModelKind.CAE, 1);
        assertEquals(new ImageShape(2, 6, 6), s.cell(0).image());
        assertEquals(36, s.cell(0).hidden());
        assertEquals(new ImageShape(4, 3, 3), s.cell(1).image());
        assertEquals(27, s.cell(1).hidden());
        assertEquals(new ImageShape(3, 3, 3), s.cell(1).latentImage());
        assertEquals(CellKind.AE, s.cell(2).kind());
        assertEquals(27, s.cell(2).input());
        assertEquals(36 + 27 + 7, s.headInputSize());
        assertEquals(s, ModelSpec.fromConfig(s.toConfig()), "config round trip");
        ModelSpec shifted = new ModelSpecBuilder(ModelKind.CAE, 784, 10).shift(2).build();
        assertEquals(2, ModelSpec.fromConfig(shifted.toConfig()).augmentation().shift(),
                "config round trip of the shift");
        java.util.Map<String, String> old = new java.util.LinkedHashMap<>(shifted.toConfig());
        old.remove("shift");
        assertEquals(0, ModelSpec.fromConfig(old).augmentation().shift(), "a configuration of uff4j 0.1.0 has no shift");
        ModelSpec mirrored = new ModelSpecBuilder(ModelKind.DAE, 784, 10).mirror(true).build();
        assertEquals(new ModelSpec.Augmentation(0, true), ModelSpec.fromConfig(mirrored.toConfig()).augmentation(),
                "config round trip of the mirror");
        old.remove("mirror");
        assertEquals(ModelSpec.Augmentation.NONE, ModelSpec.fromConfig(old).augmentation(),
                "a configuration of uff4j 0.1.0 has no mirror");
        IllegalArgumentException notSquare = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpecBuilder(ModelKind.DAE, 780, 10).mirror(true).build());
        assertTrue(notSquare.getMessage().contains("needs square images"), notSquare.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpecBuilder(ModelKind.CAE, 784, 10).shift(28).build());
        assertTrue(bad.getMessage().startsWith("shift must be in [0, image width)"), bad.getMessage());
        assertEquals("cae:4,cae:3,ae:7", CellDef.format(s.cells().list()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpecBuilder(ModelKind.AE, 784, 10)
                        .cellList(CellDef.parseList("ae:10,cae:8")).build().cell(1));
        assertTrue(e.getMessage().contains("cell 2 (cae) needs an image as input, but gets 10 flat values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CellDef.parseList("cae:0"));
        e = assertThrows(IllegalArgumentException.class, () -> CellDef.parseList("conv:32"));
        assertTrue(e.getMessage().contains("unknown cell kind 'conv'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CellDef.parseList("cae32"));
        assertTrue(e.getMessage().contains("is not kind:width"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ModelSpecBuilder(ModelKind.BP_CNN, 784, 10)
                .cellList(CellDef.parseList("cae:8,ae:10")).build());
        assertTrue(e.getMessage().contains("bp-cnn's encoder is a list of cae cells"), e.getMessage());
    }

    /** A third cae cell on MNIST's 7 x 7 maps keeps their size (no pooling) instead of being refused. */
    @Test
    void aCaeCellOnAnOddSizedInputDoesNotPool() {
        ModelSpec s = new ModelSpecBuilder(ModelKind.CAE, 784, 10).cellList(CellDef.parseList("cae:32,cae:64,cae:16"))
                .build();
        assertEquals(2, s.cell(1).pool());
        assertEquals(new ImageShape(64, 7, 7), s.cell(1).latentImage());
        assertEquals(1, s.cell(2).pool());
        assertEquals(new ImageShape(64, 7, 7), s.cell(2).image());
        assertEquals(new ImageShape(16, 7, 7), s.cell(2).latentImage());
        assertEquals(32 * 14 * 14 + 64 * 7 * 7 + 16 * 7 * 7, s.headInputSize());
        try (Backend b = new CpuBackend(1)) {
            List<Cell> cells = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cells.add(UffModel.cell(b, s, s.cell(i), i));
            }
            Tensor x = upload(b, uniform(new SplittableRandom(3), 4 * 784, 0, 1), 4, 784);
            Tensor below = cells.get(1).encode(cells.get(0).encode(x));
            assertEquals(16 * 49, cells.get(2).encode(below).cols());
            float[] before = cells.get(2).parameters().readAll();
            cells.get(2).trainStep(below);
            assertEquals(1, cells.get(2).losses().steps());
            float loss = cells.get(2).losses().read()[0];
            assertTrue(Float.isFinite(loss) && loss > 0f, "a positive reconstruction loss, got " + loss);
            assertTrue(!java.util.Arrays.equals(before, cells.get(2).parameters().readAll()), "the third cell learns");
        }
    }

    @Test
    void aDaeCellInAListCorruptsItsInputLikeADaeModel() {
        ModelSpec s = new ModelSpecBuilder(ModelKind.CAE, 784, 10).cellList(CellDef.parseList("cae:8,dae:30")).build();
        assertEquals(ModelSpecBuilder.DAE_NOISE, s.cell(1).noise(), "the dae default, not no noise");
        assertEquals(Noise.NONE, s.cell(0).noise());
        Noise set = new Noise(0.3f, 0f);
        assertEquals(set, new ModelSpecBuilder(ModelKind.CAE, 784, 10).cellList(CellDef.parseList("cae:8,dae:30"))
                .noise(set).build().cell(1).noise(), "a noise that is set wins");
    }

    private static List<double[]> train(Backend b, ModelSpec spec, int steps, List<float[]> params) {
        Model model = Models.create(b, spec);
        SplittableRandom r = new SplittableRandom(4);
        Tensor x = b.zeros(BATCH, spec.inputSize());
        Tensor y = b.zeros(BATCH, 1);
        List<double[]> losses = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            b.upload(uniform(r, BATCH * spec.inputSize(), 0, 1), 0, x);
            float[] labels = new float[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = r.nextInt(5);
            }
            b.upload(labels, 0, y);
            model.trainBatch(0, x, y);
            if (s % 4 == 3) {
                losses.add(model.takeMetrics().losses());
            }
        }
        if (params != null) {
            model.parameterGroups().values().forEach(p -> params.add(p.readAll()));
        }
        return losses;
    }

    @Test
    void trainingIsBitIdenticalForAnyThreadCountAndLossesFall() {
        for (ModelKind kind : List.of(ModelKind.CAE, ModelKind.BP_CNN)) {
            List<float[]> one = new ArrayList<>();
            List<float[]> three = new ArrayList<>();
            List<double[]> losses;
            try (Backend b = new CpuBackend(1)) {
                losses = train(b, spec(kind, 3), 12, one);
            }
            try (Backend b = new CpuBackend(3)) {
                train(b, spec(kind, 3), 12, three);
            }
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), three.get(i), kind + " parameter group " + i);
            }
            if (kind == ModelKind.CAE) { // the reconstruction losses (labels are random: the head's cannot fall)
                for (int i = 0; i < 3; i++) {
                    assertTrue(losses.get(2)[i] < losses.get(0)[i], "cell " + (i + 1) + " loss falls: "
                            + losses.get(0)[i] + " -> " + losses.get(2)[i]);
                }
            }
        }
    }

    @Test
    void trainingStepsAllocateNothingOnceWarm() {
        for (ModelKind kind : List.of(ModelKind.CAE, ModelKind.BP_CNN)) {
            try (Backend b = new CpuBackend(2)) {
                Model model = Models.create(b, spec(kind, 2));
                SplittableRandom r = new SplittableRandom(2);
                Tensor x = upload(b, uniform(r, BATCH * INPUT, 0, 1), BATCH, INPUT);
                float[] y = new float[BATCH];
                Tensor labels = upload(b, y, BATCH, 1);
                for (int s = 0; s < 1000; s++) { // warm-up: the JIT compiles the conv kernels' loops late
                    model.trainBatch(0, x, labels);
                }
                com.sun.management.ThreadMXBean mx =
                        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                for (int s = 0; s < 100; s++) {
                    model.trainBatch(0, x, labels);
                }
                long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                assertTrue(allocated < 1024, kind + ": " + allocated + " bytes allocated in 100 steps");
            }
        }
    }

    @Test
    void savedConvolutionalModelsPredictBitIdentically(@TempDir Path dir) {
        for (ModelKind kind : List.of(ModelKind.CAE, ModelKind.BP_CNN)) {
            try (Backend b = new CpuBackend(2)) {
                Model model = Models.create(b, spec(kind, 5));
                Tensor x = upload(b, uniform(new SplittableRandom(6), BATCH * INPUT, 0, 1), BATCH, INPUT);
                model.trainBatch(0, x, b.zeros(BATCH, 1));
                float[] logits = download(b, model.logits(x));
                Path file = dir.resolve(kind.id() + ".ckpt");
                ModelCheckpoint.save(file, model, Map.of());
                Model loaded = ModelCheckpoint.load(file, b).model();
                assertArrayEquals(logits, download(b, loaded.logits(x)), kind + " logits after loading");
            }
        }
    }

    static List<Backends.Case> cuda() {
        return Backends.cuda();
    }

    /** CPU and GPU from the same initial weights: losses within 1e-5 relative after 12 steps. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void convolutionalModelsTrainTheSameOnCpuAndGpu(Backends.Case c) {
        for (ModelKind kind : List.of(ModelKind.CAE, ModelKind.BP_CNN)) {
            List<double[]> gpu;
            try (Backend b = c.factory().get()) {
                gpu = train(b, spec(kind, 8), 12, null);
            }
            List<double[]> cpu;
            try (Backend b = new CpuBackend(2)) {
                cpu = train(b, spec(kind, 8), 12, null);
            }
            for (int e = 0; e < cpu.size(); e++) {
                for (int i = 0; i < cpu.get(e).length; i++) {
                    double rel = Math.abs(cpu.get(e)[i] - gpu.get(e)[i]) / Math.abs(cpu.get(e)[i]);
                    assertTrue(rel <= 1e-5, kind + " interval " + e + " loss " + i + ": cpu " + cpu.get(e)[i]
                            + ", gpu " + gpu.get(e)[i]);
                }
            }
        }
    }
}
