package dev.uff4j.train;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;
import dev.uff4j.data.ImageSet;
import dev.uff4j.model.ImageShape;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Seeds;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Runs the epochs of a model's stages over a training set: shuffles (seeded), gathers each mini-batch into
 * backend buffers (translating the images when the spec asks for {@link ModelSpec.Augmentation#shift}), steps the
 * model, and after each epoch reads the accumulated losses once and measures test accuracy. Nothing is read back per step; every
 * {@value #FINITE_CHECK_STEPS} steps the loss sums are checked for NaN or infinity, and a diverged run stops with a
 * {@link TrainingDivergedException}.
 */
public final class Trainer {
    private final Backend backend;
    private final Model model;
    private final int batch;
    private final Tensor x;
    private final Tensor y;
    private final Tensor correct;
    private final float[] correctHost = new float[1];
    private int[] order = new int[0];
    /** Null without augmentation; else the shifter and its host buffer of one batch. */
    private final RandomShift shift;
    private final float[] shifted;
    /**
     * Steps between checks that every loss is still finite: each check reads the loss sums back once (a
     * synchronisation on a GPU), so a diverged run stops within this many steps at the cost of nothing measurable.
     */
    static final int FINITE_CHECK_STEPS = 50;

    public Trainer(Backend backend, Model model) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        this.backend = backend;
        this.model = model;
        ModelSpec spec = model.spec();
        this.batch = spec.optimization().batch();
        this.x = backend.zeros(batch, spec.inputSize());
        this.y = backend.zeros(batch, 1);
        this.correct = backend.zeros(1, 1);
        int pixels = spec.augmentation().shift();
        this.shift = pixels == 0 ? null : new RandomShift(ImageShape.square(spec.inputSize(), spec.channels()),
                pixels, Seeds.derive(spec.seed(), "shift", 0));
        this.shifted = shift == null ? null : new float[batch * spec.inputSize()];
    }

    /** Trains every stage for {@code epochs} epochs; {@code test} is evaluated after each epoch that trains the head. */
    public TrainResult train(ImageSet train, ImageSet test, int epochs, Progress progress) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(progress, "progress");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        checkShape(train);
        checkShape(test);
        List<EpochStats> detail = new ArrayList<>();
        SplittableRandom shuffle = new SplittableRandom(Seeds.derive(model.spec().seed(), "shuffle", 0));
        double trainSeconds = 0;
        long samples = 0;
        double testAccuracy = Double.NaN;
        int stages = model.stages();
        progress.plan((long) stages * epochs * train.count());
        for (int stage = 0; stage < stages; stage++) {
            String stageName = model.stageName(stage);
            boolean headTrains = stage == stages - 1;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                String label = (stages > 1 ? stageName + " " : "") + "epoch " + epoch + "/" + epochs;
                progress.start(label, train.count());
                long t0 = System.nanoTime();
                runEpoch(stage, stageName, epoch, epochs, train, shuffle, progress);
                backend.synchronize();
                double seconds = (System.nanoTime() - t0) / 1e9;
                trainSeconds += seconds;
                samples += train.count();
                Model.TrainMetrics metrics = model.takeMetrics();
                long e0 = System.nanoTime();
                double accuracy = headTrains ? evaluate(test) : Double.NaN;
                double evalSeconds = (System.nanoTime() - e0) / 1e9;
                if (headTrains) {
                    testAccuracy = accuracy;
                }
                EpochStats stats = new EpochStats(epoch, stageName, model.lossNames(), metrics.losses(),
                        metrics.trainAccuracy(), accuracy, seconds, evalSeconds);
                detail.add(stats);
                progress.end(summary(stats, train.count() / seconds));
            }
        }
        return new TrainResult(epochs, train.count(), samples, testAccuracy, trainSeconds, List.copyOf(detail));
    }

    private void runEpoch(int stage, String stageName, int epoch, int epochs, ImageSet train,
                          SplittableRandom shuffle, Progress progress) {
        int n = train.count();
        shuffle(n, shuffle);
        long stepsPerEpoch = (n + batch - 1) / batch;
        long done = (epoch - 1) * stepsPerEpoch;
        long total = epochs * stepsPerEpoch;
        LrSchedule schedule = model.spec().optimization().lrSchedule();
        long step = 0;
        for (int from = 0; from < n; from += batch) {
            int rows = Math.min(batch, n - from);
            model.setLrScale(stage, schedule.scale(done++, total));
            Tensor xb = x.firstRows(rows);
            Tensor yb = y.firstRows(rows);
            if (shift == null) {
                backend.uploadRows(train.pixels(), order, from, xb);
            } else {
                shift.gather(train.pixels(), order, from, rows, shifted);
                backend.upload(shifted, 0, xb);
            }
            backend.uploadLabels(train.labels(), order, from, yb);
            model.trainBatch(stage, xb, yb);
            progress.advance(from + rows);
            if (++step % FINITE_CHECK_STEPS == 0 || step == stepsPerEpoch) {
                checkFinite(stageName, epoch, step, stepsPerEpoch);
            }
        }
    }

    /** Stops a diverged run: a loss that is NaN or infinite never recovers, and the rest of the run means nothing. */
    private void checkFinite(String stageName, int epoch, long step, long steps) {
        String part = model.nonFiniteLoss();
        if (part != null) {
            throw new TrainingDivergedException(part, stageName, epoch, step, steps,
                    model.spec().optimization().optimizer().lr());
        }
    }

    /** Fisher-Yates over a reused index array. */
    private void shuffle(int n, SplittableRandom random) {
        if (order.length != n) {
            order = new int[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Accuracy of the model on every sample of {@code set}, counted on the backend and read back once. */
    public double evaluate(ImageSet set) {
        Objects.requireNonNull(set, "set");
        checkShape(set);
        int[] identity = identity(set.count());
        backend.fill(correct, 0f);
        for (int from = 0; from < set.count(); from += batch) {
            int rows = Math.min(batch, set.count() - from);
            Tensor xb = x.firstRows(rows);
            Tensor yb = y.firstRows(rows);
            backend.uploadRows(set.pixels(), identity, from, xb);
            backend.uploadLabels(set.labels(), identity, from, yb);
            backend.countCorrect(model.logits(xb), yb, correct, 0);
        }
        backend.download(correct, correctHost, 0);
        return (double) correctHost[0] / set.count();
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private void checkShape(ImageSet set) {
        if (set.features() != model.spec().inputSize() || set.classes() != model.spec().classes()) {
            throw new IllegalArgumentException(set.name() + " has " + set.features() + " features and "
                    + set.classes() + " classes; the model expects " + model.spec().inputSize() + " and "
                    + model.spec().classes());
        }
    }

    static String summary(EpochStats s, double samplesPerSecond) {
        StringBuilder b = new StringBuilder();
        b.append(s.stage().equals("all") ? "" : s.stage() + " ").append("epoch ").append(s.epoch()).append(':');
        for (int i = 0; i < s.losses().length; i++) {
            if (!Double.isNaN(s.losses()[i])) {
                b.append(' ').append(s.lossNames().get(i)).append(String.format(" %.4f", s.losses()[i]));
            }
        }
        if (!Double.isNaN(s.testAccuracy())) {
            b.append(String.format(" | test %.2f%%", 100 * s.testAccuracy()));
        }
        b.append(String.format(" | %.1f s, %.0f samples/s", s.seconds(), samplesPerSecond));
        return b.toString();
    }
}
