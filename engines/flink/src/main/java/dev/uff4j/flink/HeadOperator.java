package dev.uff4j.flink;

import dev.uff4j.backend.Backend;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.HeadTrainer;
import dev.uff4j.train.PartState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.Arrays;

/**
 * The classifier head as the pipeline's last stage: one cross-entropy step per batch on the last cell's latents, or
 * on every cell's side by side when the head reads them all. Its reports are its main output.
 */
final class HeadOperator extends PartOperator<StageOutput> {
    private static final long serialVersionUID = 1L;

    private transient HeadTrainer head;

    HeadOperator(PipelineConfig config) {
        super(config, config.cells());
    }

    @Override
    void createPart(Backend backend, ModelSpec spec) {
        head = HeadTrainer.create(backend, spec);
    }

    @Override
    PartState partState() {
        return head.state();
    }

    @Override
    void restorePart(PartState state) {
        head.restore(state);
    }

    @Override
    void step(BatchRecord batch) {
        float[] features = batch.features != null ? batch.features : batch.values;
        head.setLrScale(batch.lrScale);
        head.train(features, batch.labels, batch.rows);
    }

    @Override
    double[] takeLossesAndAccuracy() {
        Model.TrainMetrics m = head.takeMetrics();
        double[] out = Arrays.copyOf(m.losses(), m.losses().length + 1);
        out[m.losses().length] = m.trainAccuracy();
        return out;
    }

    @Override
    void report(StageOutput r) {
        output.collect(new StreamRecord<>(r));
    }

    @Override
    void closePart() {
        if (head != null) {
            head.close();
            head = null;
        }
    }
}
