package dev.uff4j.train;

import java.util.List;

/**
 * The outcome of a training run, as reported on stdout and in {@code --report} JSON.
 *
 * @param epochs         epochs asked for, per stage
 * @param trainSamples   samples per epoch
 * @param samplesTrained samples processed in all epochs of all stages
 * @param testAccuracy   accuracy on the test set after the last epoch that trained the head; NaN without a test set
 *                       or when the head did not train
 * @param trainSeconds   training time, evaluation excluded
 * @param epochsDetail   every epoch that ran, in order
 * @param stopReason     why a listener stopped the run early, or null when every epoch ran
 */
public record TrainResult(int epochs, int trainSamples, long samplesTrained, double testAccuracy,
                          double trainSeconds, List<EpochStats> epochsDetail, String stopReason) {

    /**
     * Training throughput.
     *
     * @return samples trained per second of training time, NaN when no time was measured
     */
    public double samplesPerSecond() {
        return trainSeconds > 0 ? samplesTrained / trainSeconds : Double.NaN;
    }

    /**
     * Whether a listener ended the run before its last epoch.
     *
     * @return true when {@link #stopReason()} is set
     */
    public boolean stoppedEarly() {
        return stopReason != null;
    }
}
