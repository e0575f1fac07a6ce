package dev.uff4j.train;

import dev.uff4j.data.Dataset;
import dev.uff4j.model.Model;

/** What a {@link TrainingListener} can do with the run it follows. */
public interface TrainingContext {

    /**
     * The model being trained (to save a checkpoint, say).
     *
     * @return the model
     */
    Model model();

    /**
     * Where the run stands after the epoch just finished: with the model's parameters and optimizer state, what a
     * resumable checkpoint holds.
     *
     * @return the position
     * @throws IllegalStateException before the first epoch of the run has finished
     */
    TrainingPosition position();

    /**
     * Accuracy of the model as it is now on a labelled set (a validation split, say), counted on the backend.
     *
     * @param labelled samples with labels and the model's input size
     * @return the fraction classified correctly, in [0, 1]
     */
    double evaluate(Dataset labelled);

    /**
     * Ends the run after the current step: later epochs and stages are skipped and {@link Trainer#train} returns
     * normally. Calling it again keeps the first reason.
     *
     * @param reason why, for {@link TrainResult#stopReason()}, e.g. "validation accuracy stopped improving"
     */
    void stop(String reason);
}
