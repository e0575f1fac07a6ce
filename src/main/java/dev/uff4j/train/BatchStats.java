package dev.uff4j.train;

import java.util.List;

/**
 * Where a run is, every few steps (see {@link TrainingListener#batchInterval()}).
 *
 * @param stage         the stage, as in {@link EpochStats#stage()}
 * @param epoch         1-based epoch within the stage
 * @param epochs        epochs per stage
 * @param step          steps done in this epoch
 * @param stepsPerEpoch steps in one epoch
 * @param lossNames     names of {@code losses}
 * @param losses        mean loss per step of each part over this epoch so far (NaN where the part does not train)
 * @param seconds       seconds since the epoch started
 */
public record BatchStats(String stage, int epoch, int epochs, long step, long stepsPerEpoch, List<String> lossNames,
                         double[] losses, double seconds) {
}
