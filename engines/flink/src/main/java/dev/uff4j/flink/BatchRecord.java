package dev.uff4j.flink;

/**
 * One mini-batch flowing down the pipeline (a Flink POJO: public fields, no Kryo). The reader fills it with the
 * batch's images; each cell replaces {@link #values} with its latents (what the next cell trains on) and, when the
 * head reads every cell, writes them into their columns of {@link #features}.
 */
public final class BatchRecord {
    /** The batch's id: {@code epoch * stepsPerEpoch + step}, from 0. */
    public long id;
    /** Rows in the batch: the spec's batch size, or fewer for an epoch's last step. */
    public int rows;
    /** The learning-rate factor of this step ({@link dev.uff4j.train.BatchPlan#lrScale}). */
    public float lrScale;
    /** The next stage's input rows, one after the other: the images, then each cell's latents. */
    public float[] values;
    /** Every cell's latents side by side, row by row in cell order, when the head reads them all; else null. */
    public float[] features;
    /** The rows' class labels. */
    public int[] labels;

    /** For Flink's POJO serializer. */
    public BatchRecord() {
    }

    /**
     * The epoch of a batch.
     *
     * @param stepsPerEpoch steps in one epoch
     * @return from 0
     */
    public int epoch(int stepsPerEpoch) {
        return (int) (id / stepsPerEpoch);
    }

    /**
     * The step of a batch within its epoch.
     *
     * @param stepsPerEpoch steps in one epoch
     * @return from 0
     */
    public int step(int stepsPerEpoch) {
        return (int) (id % stepsPerEpoch);
    }
}
