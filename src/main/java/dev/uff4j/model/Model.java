package dev.uff4j.model;

import dev.uff4j.backend.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A trainable classifier as the trainer sees it. Training is split into stages: one stage in which every part
 * steps on every batch (pipelined UFF, BP), or one stage per cell and one for the head (greedy UFF).
 */
public interface Model extends AutoCloseable {
    /**
     * What the model was built from.
     *
     * @return the model's spec
     */
    ModelSpec spec();

    /**
     * Number of training stages (1 unless the schedule is greedy).
     *
     * @return 1, or for greedy UFF the number of cells plus one for the head
     */
    default int stages() {
        return 1;
    }

    /**
     * Name of a stage for reports: {@code all}, {@code cell1}, ..., {@code head}.
     *
     * @param stage the stage, in {@code [0, stages())}
     * @return {@code all} for the single stage of a model that trains everything at once
     */
    default String stageName(int stage) {
        return "all";
    }

    /**
     * One training step of stage {@code stage} on a batch.
     *
     * @param stage  the stage, in {@code [0, stages())}
     * @param x      the batch, at most the spec's batch rows of {@code spec().inputSize()} values
     * @param labels one class index per row ({@code rows x 1}); null trains without labels, which only a model whose
     *               {@link #trainsWithoutLabels()} is true accepts, and then only in a stage that does not train
     *               the head (the head's steps are skipped in a stage that trains everything)
     */
    void trainBatch(int stage, Tensor x, Tensor labels);

    /**
     * Whether the model has parts that learn without labels (a UFF model's cells): then {@link #trainBatch} accepts
     * null labels and {@link #trainHeadBatch} trains the head alone.
     *
     * @return true for UFF models
     */
    default boolean trainsWithoutLabels() {
        return false;
    }

    /**
     * One step of the classifier head alone on the frozen features of the parts below it: what follows training
     * the cells without labels.
     *
     * @param x      the batch
     * @param labels one class index per row
     * @throws UnsupportedOperationException if the model has no head apart from the rest ({@link
     *                                       #trainsWithoutLabels()} is false)
     */
    default void trainHeadBatch(Tensor x, Tensor labels) {
        throw new UnsupportedOperationException(spec().kind().id() + " models train as a whole: their head cannot "
                + "train alone");
    }

    /**
     * Sets the learning-rate factor of every part that trains in {@code stage} (see {@link LrSchedule}).
     *
     * @param stage the stage, in {@code [0, stages())}
     * @param scale the factor, in [0, 1]
     * @throws IllegalArgumentException if {@code scale} is outside [0, 1]
     */
    void setLrScale(int stage, float scale);

    /**
     * Class scores for a batch (inference).
     *
     * @param x the batch, at most the spec's batch rows of {@code spec().inputSize()} values
     * @return rows x classes scores, the largest for the predicted class; valid until the model's next call
     * @throws IllegalArgumentException if the batch does not fit ({@link ModelSpec#checkBatch})
     */
    Tensor logits(Tensor x);

    /**
     * What the head reads for a batch: the concatenated (or last) latents; the input itself for none.
     *
     * @param x the batch, at most the spec's batch rows of {@code spec().inputSize()} values
     * @return rows x {@link #featureSize} values; valid until the model's next call
     * @throws IllegalArgumentException if the batch does not fit ({@link ModelSpec#checkBatch})
     */
    Tensor features(Tensor x);

    /**
     * Values per row of {@link #features}.
     *
     * @return the width of the head's input ({@link ModelSpec#headInputSize} unless the model reads other features)
     */
    default int featureSize() {
        return spec().headInputSize();
    }

    /**
     * Names of the losses {@link #takeMetrics} returns, in order: for UFF one per cell loss ({@code cell1}, or
     * {@code cell1-d} and {@code cell1-g} for a GAN cell, ...) then {@code head}; for ff two per layer.
     *
     * @return the names, one per entry of {@link TrainMetrics#losses}
     */
    List<String> lossNames();

    /**
     * Mean loss per step of each part since the last call (NaN for a part that did not train) and the head's
     * training accuracy over the same steps; reads the backend's accumulators once and resets them.
     *
     * @return the losses in the order of {@link #lossNames} and the accuracy
     */
    TrainMetrics takeMetrics();

    /**
     * The first part, in the order of {@link #lossNames} ({@code cell1}, ..., {@code head}; {@code layer1}, ... for
     * ff), whose loss accumulated since the last {@link #takeMetrics} is NaN or infinite: the part where training
     * diverged; null while every loss is finite. Reads each part's accumulator back once, so a trainer asks every few
     * dozen steps, not every step.
     *
     * @return the part's name, or null
     */
    String nonFiniteLoss();

    /**
     * What {@link #takeMetrics} returns.
     *
     * @param losses        mean loss per step of each part, in the order of {@link #lossNames}; NaN for a part that
     *                      did not train
     * @param trainAccuracy the head's fraction of correct predictions in [0, 1] over the interval's training samples;
     *                      NaN when the head did not train or the model has no head (ff)
     */
    record TrainMetrics(double[] losses, double trainAccuracy) {
    }

    /**
     * The independently trained parameter groups, in a fixed order: {@code cell1}, ..., {@code head}.
     *
     * @return the live parameter sets by name: for UFF each cell's (and a GAN cell's {@code cellN-generator}) then
     *         {@code head}; {@code encoder} and {@code head} for bp and bp-cnn; {@code layer1}, ... for ff
     */
    Map<String, ParameterSet> parameterGroups();

    /**
     * Frees the model's tensors now (on a GPU, its device memory) rather than when the backend closes; the backend
     * stays open for other models. The model must not be used afterwards. Closing twice does nothing.
     */
    @Override
    void close();
}
