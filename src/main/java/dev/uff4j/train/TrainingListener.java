package dev.uff4j.train;

/**
 * Follows a training run and may stop it. Register listeners with {@link Trainer#addListener}; they are called on
 * the thread that trains, in the order they were added.
 *
 * <p>Stopping is clean: {@link TrainingContext#stop} lets the current step finish, skips the rest of the run, and
 * {@link Trainer#train} returns normally with the model as trained so far and the reason in
 * {@link TrainResult#stopReason()}. A listener that throws aborts the run instead, with its exception.
 *
 * <pre>{@code
 * trainer.addListener(new TrainingListener() {
 *     public void epochEnded(EpochStats stats, TrainingContext context) {
 *         System.out.println(stats.stage() + " epoch " + stats.epoch() + ": " + stats.losses()[0]);
 *     }
 * });
 * }</pre>
 */
public interface TrainingListener {

    /**
     * A run starts ({@link Trainer#train} or {@link Trainer#trainHead} was called): the place to reset what a
     * listener keeps per run.
     *
     * @param context the run
     */
    default void trainingStarted(TrainingContext context) {
    }

    /**
     * An epoch ended (its stats include the test accuracy when the trainer has a test set).
     *
     * @param stats   what the epoch produced
     * @param context the run: evaluate a set, or stop
     */
    default void epochEnded(EpochStats stats, TrainingContext context) {
    }

    /**
     * Every {@link #batchInterval()} steps of an epoch. Asking for these costs one read-back of the loss sums per
     * call (a synchronisation on a GPU), so choose an interval of tens or hundreds of steps.
     *
     * @param stats   where the run is, with the losses of the epoch so far
     * @param context the run: evaluate a set, or stop
     */
    default void batchesDone(BatchStats stats, TrainingContext context) {
    }

    /**
     * How often {@link #batchesDone} is called: every this many steps; 0 (the default) never.
     *
     * @return steps between calls, or 0
     */
    default int batchInterval() {
        return 0;
    }

    /**
     * The run ended normally, after its last epoch or a {@link TrainingContext#stop}; not called when it throws.
     *
     * @param result  what the run produced
     * @param context the run (stopping now has no effect)
     */
    default void trainingEnded(TrainResult result, TrainingContext context) {
    }
}
