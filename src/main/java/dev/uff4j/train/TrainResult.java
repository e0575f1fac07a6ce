package dev.uff4j.train;

import java.util.List;

/**
 * The outcome of a training run, as reported on stdout and in {@code --report} JSON.
 *
 * @param trainSamples   samples per epoch
 * @param samplesTrained samples processed in all epochs of all stages
 * @param trainSeconds   training time, evaluation excluded
 */
public record TrainResult(int epochs, int trainSamples, long samplesTrained, double testAccuracy,
                          double trainSeconds, List<EpochStats> epochsDetail) {

    public double samplesPerSecond() {
        return trainSeconds > 0 ? samplesTrained / trainSeconds : Double.NaN;
    }
}
