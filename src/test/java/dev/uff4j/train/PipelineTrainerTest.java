package dev.uff4j.train;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.CellDef;
import dev.uff4j.model.FrozenFeatureClassifier;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.model.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parallel schedule (a thread and a backend per part) trains exactly what the pipelined schedule trains: same
 * parameters, moments and step counts, same epoch figures, bit for bit on the CPU.
 */
class PipelineTrainerTest {
    /** 100 random 8x8 images of 3 classes: 7 steps of 16 per epoch, the last one short. */
    private static Dataset data(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] pixels = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
        }
        return Dataset.images("random", n, 1, 8, 8, pixels, labels, 3);
    }

    static Stream<ModelSpecBuilder> specs() {
        return Stream.of(
                new ModelSpecBuilder(ModelKind.DAE, 64, 3).cells(3).hidden(12).batch(16).seed(3),
                new ModelSpecBuilder(ModelKind.AE, 64, 3).cells(2).hidden(10).batch(16).seed(4)
                        .headInput(HeadInput.LAST).headHidden(8),
                new ModelSpecBuilder(ModelKind.GAN, 64, 3).cells(2).hidden(10).batch(16).seed(5),
                new ModelSpecBuilder(ModelKind.DAE, 64, 3).cellList(CellDef.parseList("ae:20,dae:14,gan:9"))
                        .batch(16).seed(6).shift(1).mirror(true),
                new ModelSpecBuilder(ModelKind.CAE, 64, 3).cellList(CellDef.parseList("cae:4,ae:10")).batch(16)
                        .seed(7));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void theParallelScheduleTrainsWhatThePipelinedScheduleTrains(ModelSpecBuilder builder) {
        Dataset train = data(1, 100);
        Dataset test = data(2, 40);
        ModelSpec pipelined = builder.schedule(Schedule.PIPELINED).build();
        ModelSpec parallel = builder.schedule(Schedule.PARALLEL).build();
        try (Backend b = new CpuBackend(2); Model p = Models.create(b, pipelined); Model q = Models.create(b, parallel);
             Trainer tp = new Trainer(b, p).partsInParallel(false); Trainer tq = new Trainer(b, q)) {
            TrainResult rp = tp.train(train, test, 3, Progress.NONE);
            TrainResult rq = tq.train(train, test, 3, Progress.NONE);
            Map<String, ParameterSet.State> sp = states(p);
            Map<String, ParameterSet.State> sq = states(q);
            assertEquals(sp.keySet(), sq.keySet());
            sp.forEach((name, s) -> {
                assertEquals(s.steps(), sq.get(name).steps(), name);
                assertArrayEquals(s.params(), sq.get(name).params(), name + " parameters");
                assertArrayEquals(s.m(), sq.get(name).m(), name + " first moments");
                assertArrayEquals(s.v(), sq.get(name).v(), name + " second moments");
            });
            for (int e = 0; e < 3; e++) {
                EpochStats x = rp.epochsDetail().get(e);
                EpochStats y = rq.epochsDetail().get(e);
                assertArrayEquals(x.losses(), y.losses(), "epoch " + e + " losses");
                assertEquals(x.trainAccuracy(), y.trainAccuracy(), "epoch " + e + " train accuracy");
                assertEquals(x.testAccuracy(), y.testAccuracy(), "epoch " + e + " test accuracy");
            }
            assertEquals(300, rq.samplesTrained());
        }
    }

    /**
     * A pipelined UFF model with at least as many cells as the CPU backend has threads runs its parts in parallel by
     * default (the part threads are seen while it trains), with the same result as one after the other; with fewer
     * cells, or with a listener that asks for batch reports, it does not.
     */
    @Test
    void aPipelinedRunWithAsManyCellsAsThreadsRunsItsPartsInParallel() {
        Dataset train = data(1, 100);
        Dataset test = data(2, 40);
        ModelSpecBuilder three = new ModelSpecBuilder(ModelKind.DAE, 64, 3).cells(3).hidden(12).batch(16).seed(3);
        ModelSpec spec = three.build();
        try (Backend b = new CpuBackend(2); Model p = Models.create(b, spec); Model q = Models.create(b, spec);
             Trainer sequential = new Trainer(b, p).partsInParallel(false); Trainer auto = new Trainer(b, q)) {
            PartThreads seenSequential = new PartThreads();
            PartThreads seenAuto = new PartThreads();
            TrainResult rp = sequential.addListener(seenSequential).train(train, test, 2, Progress.NONE);
            TrainResult rq = auto.addListener(seenAuto).train(train, test, 2, Progress.NONE);
            assertEquals(0, seenSequential.epochsWithPartThreads, "partsInParallel(false) runs no part thread");
            assertEquals(2, seenAuto.epochsWithPartThreads, "the default runs the parts on their own threads");
            Map<String, ParameterSet.State> sp = states(p);
            Map<String, ParameterSet.State> sq = states(q);
            sp.forEach((name, s) -> assertArrayEquals(s.params(), sq.get(name).params(), name + " parameters"));
            assertEquals(rp.epochsDetail().get(1).testAccuracy(), rq.epochsDetail().get(1).testAccuracy());
        }
        for (int[] threadsAndCells : new int[][] {{3, 2}, {1, 3}}) {
            ModelSpec s = three.cells(threadsAndCells[1]).build();
            try (Backend b = new CpuBackend(threadsAndCells[0]); Model m = Models.create(b, s);
                 Trainer t = new Trainer(b, m)) {
                PartThreads seen = new PartThreads();
                t.addListener(seen).train(train, test, 1, Progress.NONE);
                assertEquals(0, seen.epochsWithPartThreads, threadsAndCells[0] + " threads, "
                        + threadsAndCells[1] + " cells: no part threads");
            }
        }
        try (Backend b = new CpuBackend(2); Model m = Models.create(b, spec); Trainer t = new Trainer(b, m)) {
            PartThreads seen = new PartThreads();
            TrainingListener batches = new TrainingListener() {
                @Override
                public int batchInterval() {
                    return 3;
                }
            };
            t.addListener(batches).addListener(seen).train(train, test, 1, Progress.NONE);
            assertEquals(0, seen.epochsWithPartThreads, "a listener of batch reports keeps the parts sequential");
        }
    }

    @Test
    void theBaselinesOfAModelWithAsManyCellsAsThreadsTrainTheirHeadAsItIs() {
        // a probe and the raw-input head carry the model's UFF spec but only a head: they must not go parallel
        Dataset train = data(1, 100);
        Dataset test = data(2, 40);
        ModelSpec spec = new ModelSpecBuilder(ModelKind.DAE, 64, 3).cells(2).hidden(12).batch(16).seed(3).build();
        try (Backend b = new CpuBackend(2); Model m = Models.create(b, spec);
             Model probe = FrozenFeatureClassifier.linearProbe(b, m);
             Model raw = FrozenFeatureClassifier.onRawInput(b, spec)) {
            for (Model baseline : List.of(probe, raw)) {
                PartThreads seen = new PartThreads();
                try (Trainer t = new Trainer(b, baseline)) {
                    TrainResult r = t.addListener(seen).train(train, test, 2, Progress.NONE);
                    assertEquals(2, r.epochsDetail().size());
                }
                assertEquals(0, seen.epochsWithPartThreads, "a baseline trains without part threads");
            }
        }
    }

    /** Counts the epochs at whose end a part thread of the parallel pipeline ({@code uff4j-cell1}) is alive. */
    private static final class PartThreads implements TrainingListener {
        int epochsWithPartThreads;

        @Override
        public void epochEnded(EpochStats stats, TrainingContext context) {
            if (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("uff4j-cell1"))) {
                epochsWithPartThreads++;
            }
        }
    }

    private static Map<String, ParameterSet.State> states(Model model) {
        Map<String, ParameterSet.State> states = new LinkedHashMap<>();
        model.parameterGroups().forEach((name, set) -> states.put(name, set.state()));
        return states;
    }

    @Test
    void aPlanReplaysAnyBatchAsTheTrainerDrawsIt() {
        Dataset train = data(3, 50);
        ModelSpec spec = new ModelSpecBuilder(ModelKind.AE, 64, 3).hidden(8).batch(16).seed(9).shift(2).mirror(true)
                .build();
        BatchPlan plan = new BatchPlan(train, spec, 3);
        assertEquals(4, plan.stepsPerEpoch());
        assertEquals(2, plan.rows(3));
        float[] late = new float[16 * 64];
        plan.inputs(2, 1, late);
        float[] early = new float[16 * 64];
        plan.inputs(0, 0, early); // going back replays the stream from the start
        float[] again = new float[16 * 64];
        plan.inputs(2, 1, again);
        assertArrayEquals(late, again);
        assertEquals(1f, plan.lrScale(0, 0));
        assertTrue(plan.lrScale(2, 3) < plan.lrScale(1, 0), "cosine decay over the run");
    }

    @Test
    void theParallelScheduleIsForUffModelsOnTheCpu() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelSpecBuilder(ModelKind.BP, 64, 3).schedule(Schedule.PARALLEL).build());
        assertTrue(e.getMessage().startsWith("the parallel schedule trains the cells of a UFF model"),
                e.getMessage());
    }
}
