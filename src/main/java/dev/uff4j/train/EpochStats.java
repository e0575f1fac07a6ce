package dev.uff4j.train;

import java.util.List;

/**
 * What one epoch produced.
 *
 * @param epoch         1-based within its stage
 * @param stage         {@code all} (pipelined, bp) or the greedy stage ({@code cell1}, ..., {@code head})
 * @param lossNames     names of {@code losses}
 * @param losses        mean local loss per step of each part (NaN where the part did not train)
 * @param trainAccuracy the head's accuracy on the training batches of this epoch (NaN if it did not train)
 * @param testAccuracy  accuracy on the full test set after the epoch (NaN when the head has not trained yet)
 * @param seconds       training time of the epoch, evaluation excluded
 * @param evalSeconds   evaluation time after the epoch
 */
public record EpochStats(int epoch, String stage, List<String> lossNames, double[] losses, double trainAccuracy,
                         double testAccuracy, double seconds, double evalSeconds) {
}
