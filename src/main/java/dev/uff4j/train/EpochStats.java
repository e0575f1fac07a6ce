package dev.uff4j.train;

import java.util.List;

/**
 * What one epoch produced.
 *
 * @param epoch         1-based within its stage
 * @param stage         {@code all} (pipelined, bp), the greedy stage ({@code cell1}, ..., {@code head}),
 *                      {@code cells} (the cells of a UFF model trained without labels) or {@code head} (the head
 *                      alone, see {@link Trainer#trainHead})
 * @param lossNames     names of {@code losses}
 * @param losses        mean local loss per step of each part (NaN where the part did not train)
 * @param trainAccuracy the head's accuracy on the training batches of this epoch (NaN if it did not train)
 * @param testAccuracy  accuracy on the full test set after the epoch (NaN without a test set, or while the head has
 *                      not trained yet)
 * @param seconds       training time of the epoch, evaluation excluded
 * @param evalSeconds   evaluation time after the epoch
 * @param headTrained   whether the classifier head trained in this epoch (so that an accuracy means something)
 */
public record EpochStats(int epoch, String stage, List<String> lossNames, double[] losses, double trainAccuracy,
                         double testAccuracy, double seconds, double evalSeconds, boolean headTrained) {
}
