package dev.uff4j.flink;

import dev.uff4j.backend.Backend;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.CellTrainer;
import dev.uff4j.train.PartState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.Arrays;

/**
 * Cell {@code index} of the model as a stage: the pipelined schedule's step for this cell on every batch (one
 * optimizer step, then the batch's latents with the updated parameters), the latents passed on to the next stage.
 * When the head reads every cell, the latents are also written into their columns of the batch's features.
 * Reports go to the {@link LayerPipeline#REPORTS} side output.
 */
final class CellOperator extends PartOperator<BatchRecord> {
    private static final long serialVersionUID = 1L;

    private transient CellTrainer cell;
    private transient int offset;
    private transient int featureSize;

    CellOperator(PipelineConfig config, int index) {
        super(config, index);
    }

    @Override
    void createPart(Backend backend, ModelSpec spec) {
        cell = CellTrainer.create(backend, spec, index);
        if (cell.latentSize() != spec.latentSize(index)) {
            throw new IllegalStateException(name + ": the cell's latents have " + cell.latentSize()
                    + " values, the spec says " + spec.latentSize(index));
        }
        offset = 0;
        for (int k = 0; k < index; k++) {
            offset += spec.latentSize(k);
        }
        featureSize = spec.headInputSize();
    }

    @Override
    PartState partState() {
        return cell.state();
    }

    @Override
    void restorePart(PartState state) {
        cell.restore(state);
    }

    @Override
    void step(BatchRecord batch) {
        int latent = cell.latentSize();
        float[] latents = new float[batch.rows * latent];
        cell.setLrScale(batch.lrScale);
        cell.trainAndEncode(batch.values, batch.rows, latents);
        batch.values = latents;
        if (config.concatenated()) {
            if (batch.features == null) {
                batch.features = new float[batch.rows * featureSize];
            }
            for (int r = 0; r < batch.rows; r++) {
                System.arraycopy(latents, r * latent, batch.features, r * featureSize + offset, latent);
            }
        }
        output.collect(new StreamRecord<>(batch));
    }

    @Override
    double[] takeLossesAndAccuracy() {
        double[] losses = cell.takeLosses();
        double[] out = Arrays.copyOf(losses, losses.length + 1);
        out[losses.length] = Double.NaN;
        return out;
    }

    @Override
    void report(StageOutput r) {
        output.collect(LayerPipeline.REPORTS, new StreamRecord<>(r));
    }

    @Override
    void closePart() {
        if (cell != null) {
            cell.close();
            cell = null;
        }
    }
}
