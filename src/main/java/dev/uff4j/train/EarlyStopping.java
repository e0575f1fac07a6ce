package dev.uff4j.train;

import dev.uff4j.data.Dataset;
import dev.uff4j.model.ParameterSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Stops training when the accuracy on a validation set has not improved for a number of epochs, and by default
 * ends the run, stopped or not, with the parameters of the best epoch. Only epochs in which the head trains are measured (a greedy
 * schedule's cell stages have no accuracy to watch).
 *
 * <pre>{@code
 * Dataset.Split parts = labelled.shuffle(7).split(0.9);
 * EarlyStopping stopping = EarlyStopping.on(parts.second()).patience(3);
 * TrainResult result = trainer.addListener(stopping).train(parts.first(), 50);
 * System.out.println("best epoch " + stopping.bestEpoch() + ": " + stopping.bestAccuracy());
 * }</pre>
 *
 * The validation set must not be part of the training set. Keeping the best parameters reads them back once per
 * improving epoch (host memory of one copy of the model). One instance follows one run at a time.
 */
public final class EarlyStopping implements TrainingListener {
    private final Dataset validation;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBest;
    private final List<Double> history = new ArrayList<>();
    private double best = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private int sinceBest;
    private Map<String, float[]> bestParameters;

    private EarlyStopping(Dataset validation, int patience, double minDelta, boolean restoreBest) {
        this.validation = validation;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBest = restoreBest;
    }

    /**
     * Early stopping on {@code validation} with a patience of 5 epochs, any improvement counting, and the best
     * parameters restored.
     *
     * @param validation labelled samples held out from training
     * @return the listener
     */
    public static EarlyStopping on(Dataset validation) {
        Objects.requireNonNull(validation, "validation");
        if (!validation.labelled()) {
            throw new IllegalArgumentException(validation.name() + " has no labels: early stopping measures "
                    + "accuracy");
        }
        return new EarlyStopping(validation, 5, 0, true);
    }

    /**
     * How many measured epochs without improvement end the run.
     *
     * @param epochs at least 1
     * @return a listener with this patience (a new one, not yet used)
     */
    public EarlyStopping patience(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("patience must be >= 1 epoch, got " + epochs);
        }
        return new EarlyStopping(validation, epochs, minDelta, restoreBest);
    }

    /**
     * The smallest gain in accuracy that counts as an improvement.
     *
     * @param delta a fraction, e.g. 0.001 for a tenth of a percentage point; at least 0
     * @return a listener with this threshold
     */
    public EarlyStopping minDelta(double delta) {
        if (!(delta >= 0 && delta < 1)) {
            throw new IllegalArgumentException("minDelta must be in [0, 1), got " + delta);
        }
        return new EarlyStopping(validation, patience, delta, restoreBest);
    }

    /**
     * Whether the run ends with the parameters of the best epoch (true by default) or of the last.
     *
     * @param restore true to put the best epoch's parameters back when the run ends
     * @return a listener with this choice
     */
    public EarlyStopping restoreBest(boolean restore) {
        return new EarlyStopping(validation, patience, minDelta, restore);
    }

    /** Forgets the previous run: each run is watched from its first epoch. */
    @Override
    public void trainingStarted(TrainingContext context) {
        history.clear();
        best = Double.NEGATIVE_INFINITY;
        bestEpoch = 0;
        sinceBest = 0;
        bestParameters = null;
    }

    @Override
    public void epochEnded(EpochStats stats, TrainingContext context) {
        if (!stats.headTrained()) {
            return;
        }
        double accuracy = context.evaluate(validation);
        history.add(accuracy);
        int epoch = history.size();
        if (accuracy > best + minDelta || bestEpoch == 0) {
            best = accuracy;
            bestEpoch = epoch;
            sinceBest = 0;
            if (restoreBest) {
                bestParameters = snapshot(context.model().parameterGroups());
            }
            return;
        }
        if (++sinceBest >= patience) {
            context.stop(String.format(Locale.ROOT, "validation accuracy did not improve for %d epoch%s: best "
                    + "%.2f%% at epoch %d%s", patience, patience == 1 ? "" : "s", 100 * best, bestEpoch,
                    restoreBest ? ", whose parameters were restored" : ""));
        }
    }

    /** Whether stopped or not, a run ends with the best epoch's parameters when it asks for them. */
    @Override
    public void trainingEnded(TrainResult result, TrainingContext context) {
        if (restoreBest && bestParameters != null && sinceBest > 0) {
            restore(context.model().parameterGroups());
        }
        bestParameters = null; // one copy of the model, not kept past the run
    }

    /**
     * The validation accuracy after each measured epoch, in order.
     *
     * @return accuracies in [0, 1]
     */
    public List<Double> history() {
        return List.copyOf(history);
    }

    /**
     * The best validation accuracy so far.
     *
     * @return an accuracy in [0, 1], or NaN before the first measured epoch
     */
    public double bestAccuracy() {
        return bestEpoch == 0 ? Double.NaN : best;
    }

    /**
     * Which measured epoch was best (1 for the first epoch in which the head trained).
     *
     * @return the epoch, or 0 before the first
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    private static Map<String, float[]> snapshot(Map<String, ParameterSet> groups) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        groups.forEach((name, set) -> copy.put(name, set.readAll()));
        return copy;
    }

    private void restore(Map<String, ParameterSet> groups) {
        groups.forEach((name, set) -> {
            float[] values = bestParameters.get(name);
            if (values != null) {
                set.writeAll(values);
            }
        });
    }
}
