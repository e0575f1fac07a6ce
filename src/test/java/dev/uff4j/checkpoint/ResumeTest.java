package dev.uff4j.checkpoint;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.CellDef;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.model.Schedule;
import dev.uff4j.train.EpochStats;
import dev.uff4j.train.Progress;
import dev.uff4j.train.TrainResult;
import dev.uff4j.train.Trainer;
import dev.uff4j.train.TrainingContext;
import dev.uff4j.train.TrainingListener;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run interrupted after a resumable checkpoint and resumed from it ends bit for bit as the same run never
 * interrupted: every parameter, every moment, every step count and every epoch's figures, for each kind of model and
 * schedule, augmentation included.
 */
class ResumeTest {
    /** 96 random 8x8 images of 3 classes: 6 steps of 16 per epoch. */
    private static Dataset data(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] pixels = new float[96 * 64];
        int[] labels = new int[96];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(3);
        }
        return Dataset.images("random", 96, 1, 8, 8, pixels, labels, 3);
    }

    static Stream<ModelSpec> specs() {
        ModelSpecBuilder base = new ModelSpecBuilder(ModelKind.DAE, 64, 3).hidden(12).batch(16).seed(5)
                .optimizer(AdamW.DEFAULT.withLr(3e-3));
        return Stream.of(
                base.build(),
                new ModelSpecBuilder(ModelKind.AE, 64, 3).cells(2).hidden(10).batch(16).seed(6)
                        .schedule(Schedule.GREEDY).build(),
                new ModelSpecBuilder(ModelKind.GAN, 64, 3).hidden(10).batch(16).seed(7).build(),
                new ModelSpecBuilder(ModelKind.FF, 64, 3).hidden(10).batch(16).seed(8).build(),
                new ModelSpecBuilder(ModelKind.BP, 64, 3).hidden(10).batch(16).seed(9).shift(1).build(),
                new ModelSpecBuilder(ModelKind.CAE, 64, 3).cellList(CellDef.parseList("cae:4"))
                        .batch(16).seed(10).shift(1).build());
    }

    /** Stops a run by throwing after {@code epochs} epochs, as a killed process would stop. */
    private static final class Interrupt extends RuntimeException {
        Interrupt() {
            super("interrupted");
        }
    }

    private static TrainingListener stopAfter(int epochs) {
        return new TrainingListener() {
            @Override
            public void epochEnded(EpochStats stats, TrainingContext context) {
                if (context.position().epochsFinished() == epochs) {
                    throw new Interrupt();
                }
            }
        };
    }

    @ParameterizedTest
    @MethodSource("specs")
    void anInterruptedRunResumedEndsBitForBitAsOneNeverInterrupted(ModelSpec spec, @TempDir Path dir) {
        Dataset train = data(1);
        Dataset test = data(2);
        int epochs = 3;
        Path file = dir.resolve("run.uff");
        try (Backend b = new CpuBackend(2)) {
            TrainResult whole;
            Map<String, ParameterSet.State> expected;
            try (Model model = Models.create(b, spec); Trainer trainer = new Trainer(b, model)) {
                whole = trainer.train(train, test, epochs, Progress.NONE);
                expected = states(model);
            }
            int stop = model(spec).stages() * epochs / 2; // somewhere in the middle, across stages when greedy
            try (Model model = Models.create(b, spec); Trainer trainer = new Trainer(b, model)) {
                trainer.addListener(TrainingCheckpoint.every(file, 1, Map.of("dataset", "random")));
                trainer.addListener(stopAfter(stop));
                assertThrows(Interrupt.class, () -> trainer.train(train, test, epochs, Progress.NONE));
            }
            TrainingCheckpoint.Resumable r = TrainingCheckpoint.load(file, b);
            assertEquals(stop, r.position().epochsFinished());
            try (Model forEval = ModelCheckpoint.load(file, b).model()) { // the state is ignored for evaluation
                forEval.parameterGroups().forEach((name, set) -> assertArrayEquals(
                        r.model().parameterGroups().get(name).readAll(), set.readAll(), name));
            }
            assertEquals("random", r.config().get("dataset"));
            TrainResult resumed;
            try (Model model = r.model(); Trainer trainer = new Trainer(b, model)) {
                resumed = trainer.resume(r.position()).train(train, test, epochs, Progress.NONE);
                Map<String, ParameterSet.State> got = states(model);
                assertEquals(expected.keySet(), got.keySet());
                expected.forEach((name, e) -> {
                    ParameterSet.State s = got.get(name);
                    assertEquals(e.steps(), s.steps(), name + " steps");
                    assertArrayEquals(e.params(), s.params(), name + " parameters");
                    assertArrayEquals(e.m(), s.m(), name + " first moments");
                    assertArrayEquals(e.v(), s.v(), name + " second moments");
                });
            }
            assertEquals(whole.epochsDetail().size(), resumed.epochsDetail().size());
            for (int i = 0; i < whole.epochsDetail().size(); i++) {
                EpochStats w = whole.epochsDetail().get(i);
                EpochStats s = resumed.epochsDetail().get(i);
                assertEquals(w.stage() + " " + w.epoch(), s.stage() + " " + s.epoch());
                assertArrayEquals(w.losses(), s.losses(), "epoch " + i + " losses");
                assertEquals(w.trainAccuracy(), s.trainAccuracy(), "epoch " + i + " train accuracy");
                assertEquals(w.testAccuracy(), s.testAccuracy(), "epoch " + i + " test accuracy");
            }
            assertEquals(whole.testAccuracy(), resumed.testAccuracy());
            assertEquals(whole.samplesTrained(), resumed.samplesTrained());
        }
    }

    private static Model model(ModelSpec spec) {
        try (Backend b = new CpuBackend(1)) {
            return Models.create(b, spec);
        }
    }

    private static Map<String, ParameterSet.State> states(Model model) {
        Map<String, ParameterSet.State> states = new java.util.LinkedHashMap<>();
        model.parameterGroups().forEach((name, set) -> states.put(name, set.state()));
        return states;
    }

    @ParameterizedTest
    @MethodSource("specs")
    void aPartSavedAndLoadedCarriesItsStateAndNothingElse(ModelSpec spec, @TempDir Path dir) {
        String part = spec.kind() == ModelKind.FF ? "layer1" : spec.kind() == ModelKind.BP ? "encoder" : "cell1";
        try (Backend b = new CpuBackend(1); Model trained = Models.create(b, spec);
             Model fresh = Models.create(b, spec); Trainer t = new Trainer(b, trained)) {
            t.train(data(3), 1);
            Path file = dir.resolve("part.uff");
            ModelCheckpoint.savePart(file, trained, part);
            Map<String, ParameterSet.State> before = states(fresh);
            assertEquals(part, ModelCheckpoint.loadPart(file, fresh));
            Map<String, ParameterSet.State> after = states(fresh);
            Map<String, ParameterSet.State> source = states(trained);
            after.forEach((name, s) -> {
                boolean inPart = name.equals(part) || name.startsWith(part + "-");
                ParameterSet.State want = inPart ? source.get(name) : before.get(name);
                assertArrayEquals(want.params(), s.params(), name);
                assertArrayEquals(want.v(), s.v(), name);
                assertEquals(want.steps(), s.steps(), name);
            });
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(file, b));
            assertTrue(e.getMessage().contains("holds only part '" + part + "' of a model"), e.getMessage());
        }
    }
}
