package dev.uff4j.train;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.model.Schedule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listeners see typed stats and can stop a run cleanly; early stopping keeps the best epoch; unlabelled data trains
 * the cells only; the test set is optional.
 */
class TrainingListenerTest {
    private static final int INPUT = 16;

    /** Two classes: the first or the second half of the inputs is bright. 100 rows: 7 steps of 16. */
    private static Dataset halves(int n, long seed, double noise) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[n][INPUT];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            for (int j = 0; j < INPUT; j++) {
                boolean bright = (j < INPUT / 2) == (labels[i] == 0);
                rows[i][j] = (float) Math.min(1, Math.max(0, (bright ? 0.8 : 0.2) + noise * r.nextGaussian()));
            }
        }
        return Dataset.of(rows, labels, 2);
    }

    private static ModelSpec spec(ModelKind kind, Schedule schedule) {
        return new ModelSpecBuilder(kind, INPUT, 2).hidden(8).batch(16).schedule(schedule)
                .optimizer(AdamW.DEFAULT.withLr(3e-3)).lrSchedule(LrSchedule.CONSTANT).seed(11).build();
    }

    @Test
    void listenersSeeEveryEpochAndCanStopTheRunKeepingItsResult() {
        List<EpochStats> seen = new ArrayList<>();
        try (Backend b = new CpuBackend(2); Model model = Models.create(b, spec(ModelKind.DAE, Schedule.PIPELINED));
             Trainer trainer = new Trainer(b, model)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void epochEnded(EpochStats stats, TrainingContext context) {
                    seen.add(stats);
                    if (stats.epoch() == 3) {
                        context.stop("enough");
                        context.stop("ignored: the first reason stays");
                    }
                }
            });
            Dataset data = halves(100, 1, 0.1);
            TrainResult r = trainer.train(data, data, 10, Progress.NONE);
            assertEquals(3, seen.size());
            assertEquals(3, r.epochsDetail().size());
            assertEquals("enough", r.stopReason());
            assertTrue(r.stoppedEarly());
            assertEquals(300, r.samplesTrained());
            assertEquals(List.of("cell1", "head"), seen.get(0).lossNames());
            assertTrue(seen.get(2).headTrained());
            assertFalse(Double.isNaN(seen.get(2).testAccuracy()));
            assertEquals(seen.get(2).testAccuracy(), r.testAccuracy());
            // the model is usable after the stop
            assertEquals(r.testAccuracy(), trainer.evaluate(data), 1e-12);
        }
    }

    @Test
    void batchReportsComeEveryIntervalAndDoNotChangeTheEpochMeans() {
        Dataset data = halves(100, 2, 0.1); // 7 steps per epoch
        double[][] without = epochLosses(data, null);
        List<BatchStats> reports = new ArrayList<>();
        double[][] with = epochLosses(data, new TrainingListener() {
            @Override
            public void batchesDone(BatchStats stats, TrainingContext context) {
                reports.add(stats);
            }

            @Override
            public int batchInterval() {
                return 3;
            }
        });
        assertEquals(4, reports.size(), "steps 3 and 6 of each of two epochs");
        assertEquals(List.of(3L, 6L, 3L, 6L), reports.stream().map(BatchStats::step).toList());
        assertEquals(7, reports.get(0).stepsPerEpoch());
        assertEquals(2, reports.get(2).epoch());
        assertEquals("all", reports.get(0).stage());
        assertFalse(Double.isNaN(reports.get(1).losses()[0]));
        for (int e = 0; e < 2; e++) {
            for (int k = 0; k < without[e].length; k++) {
                // float sums over windows of the epoch instead of over all of it: the same mean up to rounding
                assertEquals(without[e][k], with[e][k], 1e-5 * Math.abs(without[e][k]), "epoch " + e + " loss " + k);
            }
        }
    }

    @Test
    void eachListenerIsCalledOnItsOwnIntervalAndAtTheStartAndEndOfARun() {
        Dataset data = halves(320, 7, 0.1); // 20 steps per epoch
        List<String> calls = new ArrayList<>();
        try (Backend b = new CpuBackend(1); Model model = Models.create(b, spec(ModelKind.AE, Schedule.PIPELINED));
             Trainer trainer = new Trainer(b, model)) {
            for (int every : new int[] {6, 4}) {
                trainer.addListener(new TrainingListener() {
                    @Override
                    public void trainingStarted(TrainingContext context) {
                        calls.add(every + ":start");
                    }

                    @Override
                    public void batchesDone(BatchStats stats, TrainingContext context) {
                        calls.add(every + ":" + stats.step());
                    }

                    @Override
                    public int batchInterval() {
                        return every;
                    }

                    @Override
                    public void trainingEnded(TrainResult result, TrainingContext context) {
                        calls.add(every + ":end " + result.epochsDetail().size());
                    }
                });
            }
            trainer.train(data, 1);
        }
        assertEquals(List.of("6:start", "4:start", "4:4", "6:6", "4:8", "6:12", "4:12", "4:16", "6:18", "4:20",
                "6:end 1", "4:end 1"), calls);
    }

    @Test
    void stopNeedsAReason() {
        try (Backend b = new CpuBackend(1); Model model = Models.create(b, spec(ModelKind.AE, Schedule.PIPELINED));
             Trainer trainer = new Trainer(b, model)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void epochEnded(EpochStats stats, TrainingContext context) {
                    context.stop("first");
                    context.stop(null);
                }
            });
            assertThrows(NullPointerException.class, () -> trainer.train(halves(32, 8, 0.1), 2));
        }
    }

    private static double[][] epochLosses(Dataset data, TrainingListener listener) {
        try (Backend b = new CpuBackend(2); Model model = Models.create(b, spec(ModelKind.AE, Schedule.PIPELINED));
             Trainer trainer = new Trainer(b, model)) {
            if (listener != null) {
                trainer.addListener(listener);
            }
            TrainResult r = trainer.train(data, 2);
            double[][] losses = new double[2][];
            for (int e = 0; e < 2; e++) {
                EpochStats s = r.epochsDetail().get(e);
                losses[e] = new double[] {s.losses()[0], s.losses()[1], s.trainAccuracy()};
            }
            return losses;
        }
    }

    @Test
    void earlyStoppingEndsAPlateauAndPutsTheBestParametersBack() {
        Dataset train = halves(200, 3, 0.45);
        Dataset.Split parts = halves(300, 4, 0.45).split(0.5);
        try (Backend b = new CpuBackend(2); Model model = Models.create(b, spec(ModelKind.DAE, Schedule.PIPELINED));
             Trainer trainer = new Trainer(b, model)) {
            EarlyStopping stopping = EarlyStopping.on(parts.first()).patience(2);
            trainer.addListener(stopping);
            TrainResult r = trainer.train(train, parts.second(), 60, Progress.NONE);
            assertTrue(r.stoppedEarly(), "60 epochs on 200 noisy rows must plateau");
            int measured = stopping.history().size();
            assertEquals(measured, r.epochsDetail().size());
            assertEquals(stopping.bestEpoch() + 2, measured, "stopped two epochs after the best");
            double best = stopping.history().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            assertEquals(best, stopping.bestAccuracy());
            assertEquals(best, trainer.evaluate(parts.first()), 1e-12, "the best epoch's parameters are back");
            assertTrue(r.stopReason().startsWith("validation accuracy did not improve for 2 epochs: best "),
                    r.stopReason());
        }
        try (Backend b = new CpuBackend(2); Model model = Models.create(b, spec(ModelKind.DAE, Schedule.PIPELINED));
             Trainer trainer = new Trainer(b, model)) {
            EarlyStopping patient = EarlyStopping.on(parts.first()).patience(100);
            trainer.addListener(patient);
            TrainResult r = trainer.train(train, null, 8, Progress.NONE);
            assertFalse(r.stoppedEarly());
            assertEquals(8, patient.history().size());
            assertEquals(patient.bestAccuracy(), trainer.evaluate(parts.first()), 1e-12,
                    "a run that was not stopped also ends with the best epoch's parameters");
            trainer.train(train, null, 3, Progress.NONE);
            assertEquals(3, patient.history().size(), "a second run is watched from its own first epoch");
        }
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.on(train.withoutLabels()));
        assertThrows(IllegalArgumentException.class, () -> EarlyStopping.on(train).patience(0));
    }

    @Test
    void unlabelledDataTrainsTheCellsAndLeavesTheHead() {
        Dataset labelled = halves(200, 5, 0.1);
        Dataset unlabelled = labelled.withoutLabels();
        for (Schedule schedule : Schedule.values()) {
            try (Backend b = new CpuBackend(2); Model model = Models.create(b, spec(ModelKind.DAE, schedule));
                 Trainer trainer = new Trainer(b, model)) {
                float[] head = model.parameterGroups().get("head").readAll();
                float[] cell = model.parameterGroups().get("cell1").readAll();
                TrainResult r = trainer.train(unlabelled, 2);
                assertArrayEquals(head, model.parameterGroups().get("head").readAll(), schedule + ": head untouched");
                assertFalse(java.util.Arrays.equals(cell, model.parameterGroups().get("cell1").readAll()),
                        schedule + ": the cell trained");
                assertEquals(schedule == Schedule.GREEDY ? "cell1" : "cells", r.epochsDetail().get(0).stage());
                assertEquals(2, r.epochsDetail().size());
                assertTrue(Double.isNaN(r.testAccuracy()));
                assertTrue(Double.isNaN(r.epochsDetail().get(0).losses()[1]), "no head loss");
                assertFalse(r.epochsDetail().get(0).headTrained());

                TrainResult head2 = trainer.trainHead(labelled, labelled, 10, Progress.NONE);
                assertEquals("head", head2.epochsDetail().get(0).stage());
                assertTrue(head2.testAccuracy() > 0.9, "the head on the trained cells: " + head2.testAccuracy());
                float[] cellAfterHead = model.parameterGroups().get("cell1").readAll();
                trainer.trainHead(labelled, null, 1, Progress.NONE);
                assertArrayEquals(cellAfterHead, model.parameterGroups().get("cell1").readAll(),
                        schedule + ": training the head leaves the cells");
            }
        }
    }

    @Test
    void modelsThatNeedLabelsSayWhy() {
        try (Backend b = new CpuBackend(1); Model model = Models.create(b, spec(ModelKind.BP, Schedule.PIPELINED));
             Trainer trainer = new Trainer(b, model)) {
            Dataset unlabelled = halves(20, 6, 0.1).withoutLabels();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer.train(unlabelled, 1));
            assertEquals("rows has no labels, and a bp model cannot train without them (the cells of ae, dae, gan "
                    + "and cae models can)", e.getMessage());
            assertThrows(UnsupportedOperationException.class,
                    () -> trainer.trainHead(halves(20, 6, 0.1), null, 1, Progress.NONE));
            TrainResult r = trainer.train(halves(20, 6, 0.1), 1);
            assertTrue(Double.isNaN(r.testAccuracy()), "no test set, no test accuracy");
            assertNull(r.stopReason());
        }
    }
}
