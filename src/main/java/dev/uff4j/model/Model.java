package dev.uff4j.model;

import dev.uff4j.backend.Tensor;

import java.util.List;
import java.util.Map;

/**
 * A trainable classifier as the trainer sees it. Training is split into stages: one stage in which every part
 * steps on every batch (pipelined UFF, BP), or one stage per cell and one for the head (greedy UFF).
 */
public interface Model {
    ModelSpec spec();

    /** Number of training stages (1 unless the schedule is greedy). */
    default int stages() {
        return 1;
    }

    /** Name of a stage for reports: {@code all}, {@code cell1}, ..., {@code head}. */
    default String stageName(int stage) {
        return "all";
    }

    /** One training step of stage {@code stage} on a batch. */
    void trainBatch(int stage, Tensor x, Tensor labels);

    /** Sets the learning-rate factor of every part that trains in {@code stage} (see {@link LrSchedule}). */
    void setLrScale(int stage, float scale);

    /** Class scores for a batch (inference). */
    Tensor logits(Tensor x);

    /** What the head reads for a batch: the concatenated (or last) latents; the input itself for none. */
    Tensor features(Tensor x);

    default int featureSize() {
        return spec().headInputSize();
    }

    /**
     * Names of the losses {@link #takeMetrics} returns, in order: for UFF one per cell loss ({@code cell1}, or
     * {@code cell1-d} and {@code cell1-g} for a GAN cell, ...) then {@code head}; for ff two per layer.
     */
    List<String> lossNames();

    /**
     * Mean loss per step of each part since the last call (NaN for a part that did not train) and the head's
     * training accuracy over the same steps; reads the backend's accumulators once and resets them.
     */
    TrainMetrics takeMetrics();

    /**
     * The first part, in the order of {@link #lossNames} ({@code cell1}, ..., {@code head}; {@code layer1}, ... for
     * ff), whose loss accumulated since the last {@link #takeMetrics} is NaN or infinite: the part where training
     * diverged; null while every loss is finite. Reads each part's accumulator back once, so a trainer asks every few
     * dozen steps, not every step.
     */
    String nonFiniteLoss();

    /** What {@link #takeMetrics} returns. */
    record TrainMetrics(double[] losses, double trainAccuracy) {
    }

    /** The independently trained parameter groups, in a fixed order: {@code cell1}, ..., {@code head}. */
    Map<String, ParameterSet> parameterGroups();
}
