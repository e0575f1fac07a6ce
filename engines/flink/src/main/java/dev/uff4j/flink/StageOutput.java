package dev.uff4j.flink;

/**
 * What a stage reports to the engine (a Flink POJO): either a piece of its final state, at the end of the input, or
 * its metrics at the end of an epoch. States are cut into pieces of at most {@link #CHUNK_BYTES} bytes, so that no
 * record outgrows Flink's collect sink batches or RPC frames whatever the model's size.
 */
public final class StageOutput {
    /** The largest piece of a state in one record. */
    public static final int CHUNK_BYTES = 1 << 20;

    /** The part's index: 0 for cell1, ..., {@code cells} for the head. */
    public int part;
    /** The part's name: {@code cell1}, ... or {@code head}. */
    public String name;
    /** For an epoch report: the epoch that ended, from 1; 0 for a piece of the final state. */
    public int epoch;
    /** The last batch the part applied. */
    public long applied;
    /** How many times the part was restored from a checkpoint. */
    public int restores;
    /** The last batch applied in the checkpoint of the last restore, -1 for none. */
    public long restoredAt = -1;
    /** An epoch report's mean losses of the part (since the epoch's start or the last restore). */
    public double[] losses;
    /** An epoch report's training accuracy (the head's), else NaN. */
    public double accuracy = Double.NaN;
    /** A piece's index, from 0. */
    public int chunk;
    /** How many pieces the state has. */
    public int chunks;
    /** A piece of {@link dev.uff4j.train.PartState#toBytes()}, or null in an epoch report. */
    public byte[] bytes;

    /** For Flink's POJO serializer. */
    public StageOutput() {
    }

    /**
     * Whether this is an epoch report rather than a piece of a state.
     *
     * @return true for an epoch report
     */
    public boolean isEpochReport() {
        return epoch > 0;
    }
}
