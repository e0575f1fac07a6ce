package dev.uff4j.train;

import java.util.List;
import java.util.Objects;

/**
 * Where a training run stands after an epoch: enough, with the model's parameters and optimizer state, to continue
 * it later exactly as if it had never stopped ({@link Trainer#resume}). A resumable checkpoint stores one
 * ({@code dev.uff4j.checkpoint.TrainingCheckpoint}).
 *
 * @param phase          what the run trains: {@code all} (every stage, with labels), {@code cells} (the cells
 *                       without labels) or {@code head} (the head alone)
 * @param epochs         epochs planned per stage
 * @param trainSamples   samples per epoch (the training set's size)
 * @param stage          the stage the next epoch belongs to (0 for a single-stage run)
 * @param epochsDone     epochs finished in that stage, in {@code [0, epochs]}
 * @param history        every epoch finished so far, in order
 * @param trainSeconds   training time so far
 * @param samplesTrained samples trained so far
 */
public record TrainingPosition(String phase, int epochs, int trainSamples, int stage, int epochsDone,
                               List<EpochStats> history, double trainSeconds, long samplesTrained) {

    /**
     * Checks the numbers agree.
     *
     * @param phase          {@code all}, {@code cells} or {@code head}
     * @param epochs         at least 1
     * @param trainSamples   at least 1
     * @param stage          at least 0
     * @param epochsDone     in {@code [0, epochs]}
     * @param history        the epochs finished
     * @param trainSeconds   at least 0
     * @param samplesTrained at least 0
     */
    public TrainingPosition {
        Objects.requireNonNull(phase, "phase");
        if (!List.of("all", "cells", "head").contains(phase)) {
            throw new IllegalArgumentException("phase must be all, cells or head, got " + phase);
        }
        if (epochs < 1 || trainSamples < 1 || stage < 0 || epochsDone < 0 || epochsDone > epochs
                || trainSeconds < 0 || samplesTrained < 0) {
            throw new IllegalArgumentException("not a training position: epochs " + epochs + ", samples "
                    + trainSamples + ", stage " + stage + ", epochs done " + epochsDone);
        }
        history = List.copyOf(history);
        if (history.size() != stage * epochs + epochsDone) {
            throw new IllegalArgumentException("a position after " + (stage * epochs + epochsDone) + " epochs needs "
                    + "as many in its history, got " + history.size());
        }
    }

    /**
     * Epochs finished in all stages.
     *
     * @return {@code stage * epochs + epochsDone}
     */
    public int epochsFinished() {
        return stage * epochs + epochsDone;
    }
}
