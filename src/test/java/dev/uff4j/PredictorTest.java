package dev.uff4j;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.checkpoint.CheckpointException;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inference facade: a checkpoint loaded with {@link Uff4j#load}, any number of rows, results that later calls do
 * not overwrite, and the thread-safety rule (calls from many threads on one predictor give exactly the rows one
 * thread gets).
 */
class PredictorTest {
    private static final int INPUT = 20;
    private static final int CLASSES = 3;
    private static final int BATCH = 16;

    @TempDir
    static Path dir;
    private static Path checkpoint;
    private static Dataset data;
    private static double trainerAccuracy;

    /** Three classes, each a bump at its own place in 20 inputs, plus noise. */
    private static Dataset blobs(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[n][INPUT];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(CLASSES);
            for (int j = 0; j < INPUT; j++) {
                double bump = Math.abs(j - 3 - 6 * labels[i]) < 3 ? 0.7 : 0.1;
                rows[i][j] = (float) Math.min(1, Math.max(0, bump + 0.2 * r.nextGaussian()));
            }
        }
        return Dataset.of(rows, labels, CLASSES);
    }

    @BeforeAll
    static void trainAndSave() {
        data = blobs(200, 1);
        ModelSpec spec = new ModelSpecBuilder(ModelKind.DAE, INPUT, CLASSES).cells(2).hidden(12).batch(BATCH)
                .optimizer(AdamW.DEFAULT.withLr(3e-3)).seed(5).build();
        try (Backend backend = BackendFactory.open(BackendOptions.cpu().threads(2));
             Model model = Models.create(backend, spec);
             Trainer trainer = new Trainer(backend, model)) {
            trainer.train(blobs(400, 2), 4);
            trainerAccuracy = trainer.evaluate(data);
            checkpoint = dir.resolve("blobs.uff");
            ModelCheckpoint.save(checkpoint, model);
        }
    }

    @Test
    void theLoadedModelPredictsWhatTheTrainerMeasured() {
        try (Predictor p = Uff4j.load(checkpoint)) {
            assertEquals(INPUT, p.inputSize());
            assertEquals(CLASSES, p.classes());
            assertEquals(24, p.featureSize(), "two cells of 12, concatenated");
            int[] predicted = p.predict(data.rows());
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == data.label(i) ? 1 : 0;
            }
            assertEquals(trainerAccuracy, correct / (double) data.count(), 1e-12);
            assertTrue(trainerAccuracy > 0.9, "the blobs are easy: " + trainerAccuracy);
        }
    }

    @Test
    void anyNumberOfRowsGivesEachRowTheResultItGetsAlone() {
        float[][] all = blobs(3 * BATCH + 7, 9).rows();
        try (Predictor p = Uff4j.load(checkpoint)) {
            float[][] alone = new float[all.length][];
            for (int i = 0; i < all.length; i++) {
                alone[i] = p.features(all[i]);
            }
            for (int n : new int[] {1, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH + 7}) {
                float[][] rows = java.util.Arrays.copyOf(all, n);
                float[][] features = p.features(rows);
                float[][] probabilities = p.probabilities(rows);
                int[] classes = p.predict(rows);
                assertEquals(n, features.length);
                for (int i = 0; i < n; i++) {
                    assertEquals(24, features[i].length);
                    // the same row in another batch may round differently in the GEMM's tail paths
                    for (int j = 0; j < 24; j++) {
                        assertEquals(alone[i][j], features[i][j], 1e-5 * (1 + Math.abs(alone[i][j])),
                                n + " rows: row " + i + " feature " + j);
                    }
                    double sum = 0;
                    int best = 0;
                    for (int c = 0; c < CLASSES; c++) {
                        sum += probabilities[i][c];
                        best = probabilities[i][c] > probabilities[i][best] ? c : best;
                    }
                    assertEquals(1, sum, 1e-6);
                    assertEquals(best, classes[i]);
                }
            }
        }
    }

    @Test
    void resultsAreFreshArraysThatLaterCallsDoNotTouch() {
        try (Predictor p = Uff4j.load(checkpoint)) {
            float[] first = p.features(data.row(0));
            float[] copy = first.clone();
            p.features(data.rows());
            p.probabilities(data.row(1));
            assertArrayEquals(copy, first);
        }
    }

    @Test
    void oneShareAmongThreadsGivesExactlyWhatOneThreadGets() throws Exception {
        int threads = 8;
        List<float[][]> inputs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            inputs.add(blobs(BATCH * 2 + 3, 100 + t).rows());
        }
        try (Predictor p = Uff4j.load(checkpoint)) {
            List<float[][]> expected = new ArrayList<>();
            for (float[][] in : inputs) {
                expected.add(p.features(in));
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> wrong = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    float[][] in = inputs.get(t);
                    float[][] want = expected.get(t);
                    Callable<Integer> job = () -> {
                        start.await();
                        int bad = 0;
                        for (int round = 0; round < 25; round++) {
                            float[][] got = p.features(in);
                            for (int i = 0; i < got.length; i++) {
                                bad += java.util.Arrays.equals(got[i], want[i]) ? 0 : 1;
                            }
                        }
                        return bad;
                    };
                    wrong.add(pool.submit(job));
                }
                start.countDown();
                int bad = 0;
                for (Future<Integer> f : wrong) {
                    bad += f.get();
                }
                assertEquals(0, bad, "rows that differ from a single thread's");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void badInputIsNamed() {
        try (Predictor p = Uff4j.load(checkpoint)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> p.predict(new float[][] {new float[INPUT], new float[INPUT - 1]}));
            assertEquals("rows[1] has 19 values; the model takes 20", e.getMessage());
            assertEquals("rows[0] is null", assertThrows(NullPointerException.class,
                    () -> p.features(new float[][] {null})).getMessage());
            p.close();
            assertEquals("this predictor is closed", assertThrows(IllegalStateException.class,
                    () -> p.predict(new float[INPUT])).getMessage());
        }
        CheckpointException missing = assertThrows(CheckpointException.class,
                () -> Uff4j.load(dir.resolve("missing.uff")));
        assertTrue(missing.getMessage().startsWith(dir.resolve("missing.uff").toString()), missing.getMessage());
    }

    @Test
    void aModelCalledWithMoreRowsThanItsBatchSaysSo() {
        try (Backend backend = BackendFactory.open(BackendOptions.cpu());
             Model model = ModelCheckpoint.load(checkpoint, backend).model()) {
            Tensor big = backend.zeros(BATCH + 1, INPUT);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.logits(big));
            assertEquals("logits: a batch of 17 x 20 does not fit this model, which takes 1 to 16 rows (the spec's "
                    + "batch) of 20 values; split larger inputs (dev.uff4j.Predictor does)", e.getMessage());
            try (Predictor p = Predictor.of(backend, model)) {
                assertEquals(BATCH + 1, p.predict(new float[BATCH + 1][INPUT]).length);
            }
            assertEquals(1, model.logits(big.firstRows(1)).rows(), "closing a predictor of() leaves the model open");
        }
    }
}
