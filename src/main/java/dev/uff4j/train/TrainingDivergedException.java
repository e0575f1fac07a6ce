package dev.uff4j.train;

import java.io.Serial;

/**
 * Training stopped because a loss became NaN or infinite: the run diverged, and nothing it would produce means
 * anything. The message says which part, when, and what to try.
 */
public final class TrainingDivergedException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The part whose loss diverged. */
    private final String part;
    /** The epoch, 1-based within its stage. */
    private final int epoch;
    /** The step of the epoch, 1-based, by which the divergence was found. */
    private final long step;

    TrainingDivergedException(String part, String stage, int epoch, long step, long steps, double lr) {
        super("training diverged: " + part + "'s loss became NaN or infinite in " + (stage.equals("all") ? ""
                : "stage " + stage + ", ") + "epoch " + epoch + ", by step " + step + " of " + steps
                + "; lower the learning rate (--lr, now " + lr + ")");
        this.part = part;
        this.epoch = epoch;
        this.step = step;
    }

    /**
     * The part whose loss diverged: {@code cell1}, {@code head}, {@code layer2}, ...
     *
     * @return the first diverged part, in the order of the model's losses
     */
    public String part() {
        return part;
    }

    /**
     * The epoch (1-based, within its stage) in which it was found.
     *
     * @return at least 1
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The step of that epoch (1-based) by which it was found.
     *
     * @return the step at which the check ran; the loss became non-finite after the previous check, which runs
     *         every 50 steps, at the end of each epoch and before each listener report
     */
    public long step() {
        return step;
    }
}
