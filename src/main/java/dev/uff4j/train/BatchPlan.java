package dev.uff4j.train;

import dev.uff4j.data.Dataset;
import dev.uff4j.data.Shuffle;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Seeds;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The mini-batches of a training run, each addressable by (epoch, step) and the same every time it is asked for:
 * the order the {@link Trainer} shuffles into (the same seeded stream), the shifted or mirrored images when the spec
 * asks for augmentation (counter-based, so any batch can be replayed alone), the labels, and the learning-rate factor
 * of the step. A run that trains its cells apart (a thread, a process or a machine per cell) reads its batches here and
 * sees exactly the batches one {@link Trainer} would.
 *
 * <p>Orders are computed epoch by epoch from the start of the stream and the last one is kept, so asking for the
 * epochs in order costs one shuffle each. A plan is not thread-safe.
 */
public final class BatchPlan {
    private final Dataset train;
    private final int batch;
    private final int epochs;
    private final int stepsPerEpoch;
    private final LrSchedule schedule;
    private final RandomAugmentation augmentation;
    private final long seed;
    private SplittableRandom stream;
    private int[] order;
    private int orderEpoch = -1;

    /**
     * The plan of a run of {@code epochs} epochs of {@code spec}'s model over {@code train}.
     *
     * @param train  the training samples
     * @param spec   the model's specification (batch size, seed, schedule, augmentation)
     * @param epochs epochs of the run, at least 1
     */
    public BatchPlan(Dataset train, ModelSpec spec, int epochs) {
        this.train = Objects.requireNonNull(train, "train");
        Objects.requireNonNull(spec, "spec");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (train.features() != spec.inputSize()) {
            throw new IllegalArgumentException(train.name() + " has " + train.features() + " values per sample; the "
                    + "model expects " + spec.inputSize());
        }
        this.batch = spec.optimization().batch();
        this.epochs = epochs;
        this.stepsPerEpoch = (train.count() + batch - 1) / batch;
        this.schedule = spec.optimization().lrSchedule();
        this.augmentation = RandomAugmentation.of(spec);
        this.seed = Seeds.derive(spec.seed(), "shuffle", 0);
    }

    /**
     * Steps in one epoch: the last batch may be smaller.
     *
     * @return {@code ceil(count / batch)}
     */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /**
     * Epochs of the run.
     *
     * @return the epoch count
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Rows of the largest batch: the spec's batch size.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batch;
    }

    /**
     * Rows of one batch.
     *
     * @param step the step within its epoch, from 0
     * @return the batch size, or fewer for the last step of an epoch
     */
    public int rows(int step) {
        Objects.checkIndex(step, stepsPerEpoch);
        return Math.min(batch, train.count() - step * batch);
    }

    /**
     * The learning-rate factor of a step, as the trainer sets it.
     *
     * @param epoch the epoch, from 0
     * @param step  the step within it, from 0
     * @return the schedule's factor for that step of the run
     */
    public float lrScale(int epoch, int step) {
        return schedule.scale((long) epoch * stepsPerEpoch + step, (long) epochs * stepsPerEpoch);
    }

    /**
     * Writes a batch's inputs, row after row (augmented when the spec asks for it), into {@code out}.
     *
     * @param epoch the epoch, from 0
     * @param step  the step within it, from 0
     * @param out   at least {@code rows(step) * features} values
     */
    public void inputs(int epoch, int step, float[] out) {
        int[] o = order(epoch);
        int from = step * batch;
        int rows = rows(step);
        int size = train.features();
        if (augmentation == null) {
            float[] values = train.values();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values, o[from + r] * size, out, r * size, size);
            }
        } else {
            // the trainer's augmentation streams, drawn once per sample in order: this batch's draws start here
            augmentation.seek((long) epoch * train.count() + from);
            augmentation.gather(train.values(), o, from, rows, out);
        }
    }

    /**
     * Writes a batch's labels into {@code out}.
     *
     * @param epoch the epoch, from 0
     * @param step  the step within it, from 0
     * @param out   at least {@code rows(step)} values
     * @throws IllegalStateException if the training set has no labels
     */
    public void labels(int epoch, int step, int[] out) {
        int[] o = order(epoch);
        int[] labels = train.labels();
        int from = step * batch;
        for (int r = 0, rows = rows(step); r < rows; r++) {
            out[r] = labels[o[from + r]];
        }
    }

    /** Epoch {@code epoch}'s order; the stream is replayed from the start when an earlier epoch is asked for. */
    private int[] order(int epoch) {
        Objects.checkIndex(epoch, epochs);
        if (epoch < orderEpoch || stream == null) {
            stream = new SplittableRandom(seed);
            orderEpoch = -1;
            order = new int[train.count()];
        }
        while (orderEpoch < epoch) {
            Shuffle.permutation(order, stream);
            orderEpoch++;
        }
        return order;
    }
}
