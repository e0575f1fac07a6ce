package dev.uff4j.flink;

import dev.uff4j.train.BatchPlan;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Turns a batch id into the batch: its rows (shuffled and augmented as the {@link dev.uff4j.train.Trainer} would),
 * labels and learning-rate factor, read from a {@link BatchPlan} over the job's training set. A plan gives the same
 * batch for the same (epoch, step) every time, so batches re-read after a restore are the ones first read. Chained to
 * the source, so it keeps no state of its own.
 */
final class BatchReader extends RichMapFunction<Long, BatchRecord> {
    private static final long serialVersionUID = 1L;

    private final PipelineConfig config;
    private transient BatchPlan plan;
    private transient int features;

    BatchReader(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) {
        var train = config.loadTrain();
        plan = new BatchPlan(train, config.spec(), config.epochs());
        features = train.features();
        if (plan.stepsPerEpoch() != config.stepsPerEpoch()) {
            throw new IllegalStateException("the plan has " + plan.stepsPerEpoch() + " steps per epoch, the job "
                    + config.stepsPerEpoch());
        }
    }

    @Override
    public BatchRecord map(Long id) throws InterruptedException {
        int steps = plan.stepsPerEpoch();
        int epoch = (int) (id / steps);
        int step = (int) (id % steps);
        BatchRecord b = new BatchRecord();
        b.id = id;
        b.rows = plan.rows(step);
        b.lrScale = plan.lrScale(epoch, step);
        b.values = new float[b.rows * features];
        plan.inputs(epoch, step, b.values);
        b.labels = new int[b.rows];
        plan.labels(epoch, step, b.labels);
        if (config.batchDelayMs() > 0) {
            Thread.sleep(config.batchDelayMs());
        }
        return b;
    }
}
