package dev.uff4j.train;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Tensor;
import dev.uff4j.model.ClassifierHead;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;

import java.util.Map;
import java.util.Objects;

/**
 * The classifier head of a UFF model trained apart from the cells: it takes batches of features (the cells'
 * latents, concatenated when the head reads every cell) and their labels as plain arrays. With {@link CellTrainer}s
 * it trains what the model's pipelined schedule trains. It starts as the model's head starts (same seed), is driven
 * by one thread at a time, and frees its tensors when closed.
 */
public final class HeadTrainer implements AutoCloseable {
    private final BackendScope backend;
    private final ClassifierHead head;
    private final int batch;
    private final int features;
    private final Tensor x;
    private final Tensor y;
    private final int[] identity;

    private HeadTrainer(Backend backend, ModelSpec spec) {
        this.backend = new BackendScope(backend);
        try {
            this.head = Models.head(this.backend, spec);
            this.batch = spec.optimization().batch();
            this.features = spec.headInputSize();
            this.x = this.backend.zeros(batch, features);
            this.y = this.backend.zeros(batch, 1);
        } catch (RuntimeException | Error e) {
            this.backend.close();
            throw e;
        }
        this.identity = new int[batch];
        for (int i = 0; i < batch; i++) {
            identity[i] = i;
        }
    }

    /**
     * The head of a model of {@code spec}, initialised as that model's head is.
     *
     * @param backend where its tensors live
     * @param spec    a UFF model's specification
     * @return the head's trainer; close it when done
     */
    public static HeadTrainer create(Backend backend, ModelSpec spec) {
        Objects.requireNonNull(backend, "backend");
        return new HeadTrainer(backend, spec);
    }

    /**
     * Values of one feature row.
     *
     * @return {@code spec.headInputSize()}
     */
    public int featureSize() {
        return features;
    }

    /**
     * The learning-rate factor of the following steps.
     *
     * @param scale a factor in [0, 1]
     */
    public void setLrScale(float scale) {
        head.parameters().setLrScale(scale);
    }

    /**
     * One optimizer step of cross-entropy on a batch.
     *
     * @param rows   {@code count} feature rows, one after the other
     * @param labels at least {@code count} class indices
     * @param count  rows in the batch, 1 to the spec's batch size
     */
    public void train(float[] rows, int[] labels, int count) {
        Tensor in = upload(rows, count);
        Tensor lab = y.firstRows(count);
        backend.uploadLabels(labels, identity, 0, lab);
        head.trainStep(in, lab);
    }

    /**
     * Class scores of a batch, with the head as it is now.
     *
     * @param rows   {@code count} feature rows
     * @param count  rows, 1 to the spec's batch size
     * @param scores receives {@code count * classes} values
     */
    public void logits(float[] rows, int count, float[] scores) {
        backend.download(head.logits(upload(rows, count)), scores, 0);
    }

    /**
     * The head's metrics since the last call (mean cross-entropy per step and training accuracy); resets.
     *
     * @return the metrics, with the head's loss as the only loss
     */
    public Model.TrainMetrics takeMetrics() {
        return head.takeMetrics();
    }

    /**
     * The head's parameters, moments and step counts, read back.
     *
     * @return the state, named {@code head}
     */
    public PartState state() {
        return new PartState("head", Map.of("head", head.parameters().state()));
    }

    /**
     * Replaces the head's parameters, moments and step counts.
     *
     * @param state a state of a head of the same shape
     */
    public void restore(PartState state) {
        CellTrainer.restore("head", Map.of("head", head.parameters()), state);
    }

    /** Frees the head's tensors; the backend stays open. */
    @Override
    public void close() {
        backend.close();
    }

    private Tensor upload(float[] rows, int count) {
        if (count < 1 || count > batch || rows.length < count * features) {
            throw new IllegalArgumentException("head: a batch of " + count + " rows of " + features + " features "
                    + "needs 1 to " + batch + " rows and an array of at least " + count * features + " values, got "
                    + rows.length);
        }
        Tensor in = x.firstRows(count);
        backend.upload(rows, 0, in);
        return in;
    }
}
