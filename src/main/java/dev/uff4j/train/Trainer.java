package dev.uff4j.train;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Tensor;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.Shuffle;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.Model;
import dev.uff4j.model.Schedule;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Seeds;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Runs the epochs of a model's stages over a training set: shuffles (seeded), gathers each mini-batch into
 * backend buffers (translating or mirroring the images when the spec's {@link ModelSpec.Augmentation} asks for it),
 * steps the model, and after each epoch reads the accumulated losses once and measures the test accuracy when there
 * is a test set. Nothing is read back per step; every {@value #FINITE_CHECK_STEPS} steps the loss sums are checked for
 * NaN or infinity, and a diverged run stops with a {@link TrainingDivergedException}.
 *
 * <pre>{@code
 * try (Trainer trainer = new Trainer(backend, model)) {
 *     trainer.addListener(EarlyStopping.on(validation).patience(3));
 *     TrainResult result = trainer.train(train, test, 20, Progress.NONE);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Labelled training data trains every stage of the model; unlabelled data trains a UFF model's cells only
 *       (see {@link Model#trainsWithoutLabels()}), after which {@link #trainHead} trains the head on labelled
 *       data.</li>
 *   <li>The test set is optional: pass null to train without measuring.</li>
 *   <li>{@link TrainingListener}s see every epoch (and, if they ask, every few steps) and may stop the run; it then
 *       returns normally with the model as trained so far.</li>
 * </ul>
 *
 * A trainer holds three batch buffers on the backend; {@link #close} frees them. It is driven by one thread.
 */
public final class Trainer implements AutoCloseable {
    /**
     * Steps between checks that every loss is still finite: each check reads the loss sums back once (a
     * synchronisation on a GPU), so a diverged run stops within this many steps at the cost of nothing measurable.
     */
    static final int FINITE_CHECK_STEPS = 50;
    /** Counts a float holds exactly: {@link #evaluate} reads its count back before it gets there. */
    private static final long EXACT_COUNT = 1L << 24;

    private final BackendScope backend;
    private final Model model;
    private final int batch;
    private final Tensor x;
    private final Tensor y;
    private final Tensor correct;
    private final float[] correctHost = new float[1];
    private int[] order = new int[0];
    /** Null without augmentation; else the augmentation and its host buffer of one batch. */
    private final RandomAugmentation augmentation;
    private final float[] augmented;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Context context = new Context();
    /** Set by {@link #resume} for the next run only. */
    private TrainingPosition resumeFrom;
    /** Whether a pipelined UFF run on the CPU may run its parts in parallel ({@link #partsInParallel}). */
    private boolean partsInParallel = true;

    /**
     * A trainer for {@code model}, whose tensors live on {@code backend}.
     *
     * @param backend the backend the model was created on
     * @param model   the model to train
     */
    public Trainer(Backend backend, Model model) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        this.backend = new BackendScope(backend);
        this.model = model;
        ModelSpec spec = model.spec();
        this.batch = spec.optimization().batch();
        this.x = this.backend.zeros(batch, spec.inputSize());
        this.y = this.backend.zeros(batch, 1);
        this.correct = this.backend.zeros(1, 1);
        this.augmentation = RandomAugmentation.of(spec);
        this.augmented = augmentation == null ? null : new float[batch * spec.inputSize()];
    }

    /**
     * Adds a listener, called after those added before it.
     *
     * @param listener what to tell about the run
     * @return this trainer
     */
    public Trainer addListener(TrainingListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Whether a pipelined UFF run on the CPU backend may train its parts in parallel (default: yes). It does so when
     * the model has at least as many cells as the backend has threads (two or more) and no listener asks for batch
     * reports: then every cell and the head step on a thread and CPU backend of their own, as the parallel schedule
     * does, rather than each small product being split across the threads. The result is the same, bit for bit;
     * only the speed differs (docs/performance.md), and a loss that diverges is seen at the end of its epoch rather
     * than within 50 steps.
     *
     * @param allowed false to run the parts one after the other on all the backend's threads
     * @return this trainer
     */
    public Trainer partsInParallel(boolean allowed) {
        this.partsInParallel = allowed;
        return this;
    }

    /**
     * Trains every stage for {@code epochs} epochs, without a test set or progress.
     *
     * @param train  training samples, labelled (every stage trains) or not (a UFF model's cells train)
     * @param epochs epochs per stage, at least 1
     * @return what the run produced
     */
    public TrainResult train(Dataset train, int epochs) {
        return train(train, null, epochs, Progress.NONE);
    }

    /**
     * Trains every stage for {@code epochs} epochs. With labelled data every stage trains; with unlabelled data only
     * the cells of a UFF model do (a greedy schedule's cell stages, or the pipelined stage without its head), and
     * a model that needs labels throws {@link IllegalArgumentException}.
     *
     * @param train    training samples
     * @param test     labelled samples measured after each epoch that trains the head, or null for none
     * @param epochs   epochs per stage, at least 1
     * @param progress told of every phase and batch ({@link Progress#NONE} to ignore)
     * @return what the run produced
     * @throws TrainingDivergedException if a loss became NaN or infinite
     */
    public TrainResult train(Dataset train, Dataset test, int epochs, Progress progress) {
        Objects.requireNonNull(train, "train");
        if (!train.labelled() && !model.trainsWithoutLabels()) {
            throw new IllegalArgumentException(train.name() + " has no labels, and a " + model.spec().kind().id()
                    + " model cannot train without them (the cells of ae, dae, gan and cae models can)");
        }
        int stages = model.stages();
        if (train.labelled()) {
            return run(train, test, epochs, progress, Phase.ALL, stages);
        }
        // greedy: every stage but the last (the head's); pipelined: the one stage, without its head
        return run(train, test, epochs, progress, Phase.CELLS, stages > 1 ? stages - 1 : 1);
    }

    /**
     * Trains the classifier head alone on the frozen features of the cells: after the cells trained on unlabelled
     * data, say. Only models whose {@link Model#trainsWithoutLabels()} is true have a head that trains alone.
     *
     * @param train    labelled training samples
     * @param test     labelled samples measured after each epoch, or null for none
     * @param epochs   epochs, at least 1
     * @param progress told of every phase and batch
     * @return what the run produced (one stage, named {@code head})
     */
    public TrainResult trainHead(Dataset train, Dataset test, int epochs, Progress progress) {
        Objects.requireNonNull(train, "train");
        if (!model.trainsWithoutLabels()) {
            throw new UnsupportedOperationException(model.spec().kind().id() + " models train as a whole: their "
                    + "head cannot train alone");
        }
        if (!train.labelled()) {
            throw new IllegalArgumentException(train.name() + " has no labels: the head needs them");
        }
        return run(train, test, epochs, progress, Phase.HEAD, 1);
    }

    /** What a run trains. */
    private enum Phase {
        /** The model's stages, with labels. */
        ALL,
        /** The cells' stages, without labels. */
        CELLS,
        /** The head alone, with labels. */
        HEAD
    }

    /**
     * Makes the next {@code train} (or {@code trainHead}) call continue the run {@code position} describes instead of
     * starting one: the finished epochs are skipped (their stats come from the position and appear in the result),
     * the shuffling and augmentation streams are advanced past them, and training goes on to the planned end. With
     * the model's parameters and optimizer state restored from the same moment (see
     * {@code dev.uff4j.checkpoint.TrainingCheckpoint}), the run ends exactly as if it had never stopped: on the CPU,
     * bit for bit.
     *
     * @param position where the run stood; the next call must train the same phase, for {@code position.epochs()}
     *                 epochs, on a set of {@code position.trainSamples()} samples
     * @return this trainer
     */
    public Trainer resume(TrainingPosition position) {
        this.resumeFrom = Objects.requireNonNull(position, "position");
        return this;
    }

    private static String id(Phase phase) {
        return phase.name().toLowerCase(java.util.Locale.ROOT);
    }

    private TrainResult run(Dataset train, Dataset test, int epochs, Progress progress, Phase phase, int stages) {
        Objects.requireNonNull(progress, "progress");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        TrainingPosition from = resumeFrom;
        resumeFrom = null;
        if (from != null && (!from.phase().equals(id(phase)) || from.epochs() != epochs
                || from.trainSamples() != train.count() || from.stage() > stages)) {
            throw new IllegalArgumentException("cannot resume a run of phase " + from.phase() + ", " + from.epochs()
                    + " epochs on " + from.trainSamples() + " samples as one of phase " + id(phase) + ", " + epochs
                    + " epochs on " + train.count() + " samples");
        }
        checkShape(train);
        if (test != null) {
            checkShape(test);
            if (!test.labelled()) {
                throw new IllegalArgumentException(test.name() + " has no labels, so it cannot measure accuracy");
            }
        }
        context.stopReason = null;
        context.position = from;
        int[] intervals = batchIntervals();
        for (TrainingListener l : listeners) {
            l.trainingStarted(context);
        }
        List<EpochStats> detail = new ArrayList<>();
        SplittableRandom shuffle = new SplittableRandom(Seeds.derive(model.spec().seed(), "shuffle", 0));
        double trainSeconds = 0;
        long samples = 0;
        double testAccuracy = Double.NaN;
        int all = model.stages();
        int firstStage = 0;
        int firstEpoch = 1;
        if (from != null) {
            detail.addAll(from.history());
            trainSeconds = from.trainSeconds();
            samples = from.samplesTrained();
            for (EpochStats s : from.history()) {
                if (s.headTrained() && !Double.isNaN(s.testAccuracy())) {
                    testAccuracy = s.testAccuracy();
                }
            }
            // the streams as the finished epochs left them: one shuffle per epoch, one augmentation draw per sample
            for (int k = 0; k < from.epochsFinished(); k++) {
                shuffle(train.count(), shuffle);
            }
            if (augmentation != null) {
                augmentation.skip((long) from.epochsFinished() * train.count());
            }
            firstStage = from.stage();
            firstEpoch = from.epochsDone() + 1;
        }
        progress.plan((long) (stages * epochs - detail.size()) * train.count());
        PipelineTrainer pipeline = parallel(phase, intervals) ? new PipelineTrainer(model, new BatchPlan(train, model.spec(),
                epochs), backend.threads()) : null;
        try {
        run:
        for (int stage = firstStage; stage < stages; stage++) {
            String stageName = switch (phase) {
                case ALL -> model.stageName(stage);
                case CELLS -> all > 1 ? model.stageName(stage) : "cells";
                case HEAD -> "head";
            };
            boolean headTrains = phase == Phase.HEAD || phase == Phase.ALL && stage == all - 1;
            for (int epoch = stage == firstStage ? firstEpoch : 1; epoch <= epochs; epoch++) {
                String label = (stages > 1 || phase != Phase.ALL ? stageName + " " : "") + "epoch " + epoch + "/"
                        + epochs;
                progress.start(label, train.count());
                Epoch e = new Epoch(phase, stage, stageName, epoch, epochs, intervals);
                long t0 = System.nanoTime();
                Model.TrainMetrics metrics;
                if (pipeline != null) {
                    metrics = pipeline.epoch(epoch - 1, progress);
                    pipeline.syncModel();
                    e.samplesDone = train.count();
                    checkFinite(metrics, stageName, epoch, (train.count() + batch - 1) / batch);
                } else {
                    runEpoch(e, train, shuffle, progress);
                    metrics = null;
                }
                backend.synchronize();
                double seconds = (System.nanoTime() - t0) / 1e9;
                trainSeconds += seconds;
                samples += e.samplesDone;
                if (metrics == null) {
                    metrics = e.metrics();
                }
                long e0 = System.nanoTime();
                double accuracy = headTrains && test != null ? evaluate(test) : Double.NaN;
                double evalSeconds = (System.nanoTime() - e0) / 1e9;
                if (headTrains && test != null) {
                    testAccuracy = accuracy;
                }
                EpochStats stats = new EpochStats(epoch, stageName, model.lossNames(), metrics.losses(),
                        metrics.trainAccuracy(), accuracy, seconds, evalSeconds, headTrains);
                detail.add(stats);
                context.position = new TrainingPosition(id(phase), epochs, train.count(), stage, epoch,
                        detail, trainSeconds, samples);
                progress.end(summary(stats, e.samplesDone / seconds));
                for (TrainingListener l : listeners) {
                    l.epochEnded(stats, context);
                }
                if (context.stopReason != null) {
                    break run;
                }
            }
        }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("training was interrupted", ex);
        } finally {
            if (pipeline != null) {
                pipeline.close();
            }
        }
        TrainResult result = new TrainResult(epochs, train.count(), samples, testAccuracy, trainSeconds,
                List.copyOf(detail), context.stopReason);
        for (TrainingListener l : listeners) {
            l.trainingEnded(result, context);
        }
        return result;
    }

    /** Each listener's batch interval (asked once per run), in listener order; null when none asks for reports. */
    private int[] batchIntervals() {
        int[] intervals = new int[listeners.size()];
        boolean any = false;
        for (int k = 0; k < intervals.length; k++) {
            int i = listeners.get(k).batchInterval();
            if (i < 0) {
                throw new IllegalArgumentException("a listener's batchInterval must be >= 0, got " + i);
            }
            intervals[k] = i;
            any |= i > 0;
        }
        return any ? intervals : null;
    }

    /** Whether some listener's interval divides {@code step}. */
    private static boolean due(int[] intervals, long step) {
        for (int i : intervals) {
            if (i > 0 && step % i == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * One epoch's bookkeeping. Without batch listeners the losses are read once, at the end; with them, at every
     * report, and the windows are combined (each part's mean per step weighted by the window's steps; the head's
     * accuracy by its samples).
     */
    private final class Epoch {
        final Phase phase;
        final int stage;
        final String stageName;
        final int epoch;
        final int epochs;
        /** Each listener's batch interval; null when none asks for reports. */
        final int[] intervals;
        long stepsDone;
        long samplesDone;
        long t0 = System.nanoTime();
        /** Per part: sum of (window mean x window steps) and the steps counted; null until a window is taken. */
        double[] lossSums;
        long[] lossSteps;
        double correctSum;
        long accuracySamples;
        long windowStart;
        long windowSamplesStart;

        Epoch(Phase phase, int stage, String stageName, int epoch, int epochs, int[] intervals) {
            this.phase = phase;
            this.stage = stage;
            this.stageName = stageName;
            this.epoch = epoch;
            this.epochs = epochs;
            this.intervals = intervals;
        }

        /** Takes the losses since the last window and adds them to the epoch's. */
        void takeWindow() {
            Model.TrainMetrics m = model.takeMetrics();
            long steps = stepsDone - windowStart;
            long rows = samplesDone - windowSamplesStart;
            windowStart = stepsDone;
            windowSamplesStart = samplesDone;
            double[] losses = m.losses();
            if (lossSums == null) {
                lossSums = new double[losses.length];
                lossSteps = new long[losses.length];
            }
            for (int i = 0; i < losses.length; i++) {
                if (!Double.isNaN(losses[i])) {
                    lossSums[i] += losses[i] * steps;
                    lossSteps[i] += steps;
                }
            }
            if (!Double.isNaN(m.trainAccuracy())) {
                correctSum += m.trainAccuracy() * rows;
                accuracySamples += rows;
            }
        }

        double[] meanLosses() {
            double[] mean = new double[lossSums.length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = lossSteps[i] == 0 ? Double.NaN : lossSums[i] / lossSteps[i];
            }
            return mean;
        }

        /** The epoch's metrics: one read when no window was taken, else the windows combined. */
        Model.TrainMetrics metrics() {
            if (lossSums == null) {
                return model.takeMetrics();
            }
            if (stepsDone > windowStart) {
                takeWindow();
            }
            return new Model.TrainMetrics(meanLosses(),
                    accuracySamples == 0 ? Double.NaN : correctSum / accuracySamples);
        }

        void report(long stepsPerEpoch) {
            checkFinite(stageName, epoch, stepsDone, stepsPerEpoch); // before the sums are taken and reset
            takeWindow();
            BatchStats stats = new BatchStats(stageName, epoch, epochs, stepsDone, stepsPerEpoch,
                    model.lossNames(), meanLosses(), (System.nanoTime() - t0) / 1e9);
            for (int k = 0; k < intervals.length; k++) {
                if (intervals[k] > 0 && stepsDone % intervals[k] == 0) {
                    listeners.get(k).batchesDone(stats, context);
                }
            }
        }
    }

    private void runEpoch(Epoch e, Dataset train, SplittableRandom shuffle, Progress progress) {
        int n = train.count();
        shuffle(n, shuffle);
        long stepsPerEpoch = (n + batch - 1) / batch;
        long done = (e.epoch - 1) * stepsPerEpoch;
        long total = e.epochs * stepsPerEpoch;
        LrSchedule schedule = model.spec().optimization().lrSchedule();
        int lrStage = e.phase == Phase.HEAD ? model.stages() - 1 : e.stage;
        float[] values = train.values();
        int[] labels = train.labelled() && e.phase != Phase.CELLS ? train.labels() : null;
        for (int from = 0; from < n; from += batch) {
            int rows = Math.min(batch, n - from);
            model.setLrScale(lrStage, schedule.scale(done++, total));
            Tensor xb = x.firstRows(rows);
            if (augmentation == null) {
                backend.uploadRows(values, order, from, xb);
            } else {
                augmentation.gather(values, order, from, rows, augmented);
                backend.upload(augmented, 0, xb);
            }
            Tensor yb = null;
            if (labels != null) {
                yb = y.firstRows(rows);
                backend.uploadLabels(labels, order, from, yb);
            }
            if (e.phase == Phase.HEAD) {
                model.trainHeadBatch(xb, yb);
            } else {
                model.trainBatch(e.stage, xb, yb);
            }
            e.stepsDone++;
            e.samplesDone += rows;
            progress.advance(from + rows);
            if (e.intervals != null && due(e.intervals, e.stepsDone)) {
                e.report(stepsPerEpoch);
                if (context.stopReason != null) {
                    return;
                }
            }
            if (e.stepsDone % FINITE_CHECK_STEPS == 0 || e.stepsDone == stepsPerEpoch) {
                checkFinite(e.stageName, e.epoch, e.stepsDone, stepsPerEpoch);
            }
        }
    }

    /**
     * Whether this run goes through the parallel pipeline: every stage with labels, and the parallel schedule, or
     * the pipelined one where {@link #partsInParallel} allows it and it pays (at least as many cells as threads, so no
     * cell runs on fewer threads than it would have had).
     */
    private boolean parallel(Phase phase, int[] intervals) {
        if (phase != Phase.ALL) {
            return false;
        }
        ModelSpec spec = model.spec();
        Schedule schedule = spec.optimization().schedule();
        if (schedule == Schedule.PARALLEL) {
            if (!backend.name().equals("cpu")) {
                throw new IllegalArgumentException("the parallel schedule runs on the cpu backend (one per part); on "
                        + backend.name() + " use the pipelined schedule, which trains the same model");
            }
            return true;
        }
        return schedule == Schedule.PIPELINED && partsInParallel && intervals == null && spec.kind().isUff()
                && backend.name().equals("cpu") && backend.threads() >= 2
                && spec.cells().count() >= backend.threads() && holdsEveryPart(model, spec.cells().count());
    }

    /**
     * Whether {@code model}'s parameter groups hold each cell and the head, as the parallel pipeline trains them: a
     * UFF model does; a classifier on another model's frozen features (a probe, the raw-input baseline) has a UFF
     * spec but only a head, and trains as it is.
     */
    private static boolean holdsEveryPart(Model model, int cells) {
        Set<String> groups = model.parameterGroups().keySet();
        if (!groups.contains("head")) {
            return false;
        }
        for (int i = 1; i <= cells; i++) {
            String cell = "cell" + i;
            if (groups.stream().noneMatch(g -> g.equals(cell) || g.startsWith(cell + "-"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The parallel pipeline's check, once per epoch (every part steps on every batch, so a loss that is not finite
     * diverged): the first such part, by the end of the epoch.
     */
    private void checkFinite(Model.TrainMetrics metrics, String stageName, int epoch, long steps) {
        List<String> names = model.lossNames();
        for (int i = 0; i < metrics.losses().length; i++) {
            if (!Double.isFinite(metrics.losses()[i])) {
                String part = names.get(i).replaceAll("-[a-z]+$", ""); // a GAN cell's -d and -g losses
                throw new TrainingDivergedException(part, stageName, epoch, steps, steps,
                        model.spec().optimization().optimizer().lr());
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
        Shuffle.permutation(order, random);
    }


    /**
     * Accuracy of the model on every sample of {@code set}, counted on the backend and read back once.
     *
     * @param set labelled samples with the model's input size
     * @return the fraction classified correctly, in [0, 1]
     */
    public double evaluate(Dataset set) {
        Objects.requireNonNull(set, "set");
        checkShape(set);
        if (!set.labelled()) {
            throw new IllegalArgumentException(set.name() + " has no labels, so it cannot measure accuracy");
        }
        int[] identity = identity(set.count());
        long total = 0;
        backend.fill(correct, 0f);
        long inCount = 0;
        for (int from = 0; from < set.count(); from += batch) {
            int rows = Math.min(batch, set.count() - from);
            Tensor xb = x.firstRows(rows);
            Tensor yb = y.firstRows(rows);
            backend.uploadRows(set.values(), identity, from, xb);
            backend.uploadLabels(set.labels(), identity, from, yb);
            backend.countCorrect(model.logits(xb), yb, correct, 0);
            inCount += rows;
            if (inCount > EXACT_COUNT - batch) { // the float count is exact below 2^24: read it back before then
                backend.download(correct, correctHost, 0);
                total += (long) correctHost[0];
                backend.fill(correct, 0f);
                inCount = 0;
            }
        }
        backend.download(correct, correctHost, 0);
        total += (long) correctHost[0];
        return (double) total / set.count();
    }

    /** Frees the trainer's batch buffers; the model and the backend stay open. */
    @Override
    public void close() {
        backend.close();
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return idx;
    }

    private void checkShape(Dataset set) {
        ModelSpec spec = model.spec();
        if (set.features() != spec.inputSize()) {
            throw new IllegalArgumentException(set.name() + " has " + set.features() + " values per sample; the "
                    + "model expects " + spec.inputSize());
        }
        if (set.labelled() && set.classes() > spec.classes()) {
            throw new IllegalArgumentException(set.name() + " has " + set.classes() + " classes; the model has "
                    + spec.classes());
        }
    }

    /** The run as its listeners see it. */
    private final class Context implements TrainingContext {
        String stopReason;
        TrainingPosition position;

        @Override
        public TrainingPosition position() {
            if (position == null) {
                throw new IllegalStateException("no epoch has finished yet in this run");
            }
            return position;
        }

        @Override
        public Model model() {
            return model;
        }

        @Override
        public double evaluate(Dataset labelled) {
            return Trainer.this.evaluate(labelled);
        }

        @Override
        public void stop(String reason) {
            Objects.requireNonNull(reason, "reason");
            if (stopReason == null) {
                stopReason = reason;
            }
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
