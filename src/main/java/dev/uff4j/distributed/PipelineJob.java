package dev.uff4j.distributed;

import dev.uff4j.data.DatasetId;
import dev.uff4j.model.ModelSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A layer-pipeline run for a {@link PipelineEngine}: the model, the data (a standard dataset that every worker reads
 * from {@code dataDir}: its training set, or its first {@code trainSamples} samples) and the epochs. The batches are
 * those of a {@link dev.uff4j.train.BatchPlan} over that training set, so every engine trains the same model as the
 * pipelined schedule.
 *
 * @param spec         a UFF model's specification (its schedule is ignored: the engine is the schedule)
 * @param dataset      the dataset
 * @param dataDir      where its files are, on every worker
 * @param trainSamples how many of its training samples, from the first
 * @param epochs       epochs to train
 * @param options      engine options, e.g. {@code checkpoint-interval-ms=2000} (flink), {@code threads=2} (local)
 * @param log          told of progress, one line at a time
 */
public record PipelineJob(ModelSpec spec, DatasetId dataset, Path dataDir, int trainSamples, int epochs,
                          Map<String, String> options, Consumer<String> log) {
    /**
     * Checks the arguments.
     *
     * @param spec         the model
     * @param dataset      the dataset
     * @param dataDir      its directory
     * @param trainSamples at least 1
     * @param epochs       at least 1
     * @param options      engine options
     * @param log          progress lines
     */
    public PipelineJob {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(log, "log");
        options = Map.copyOf(options);
        if (trainSamples < 1 || epochs < 1) {
            throw new IllegalArgumentException("train samples and epochs must be at least 1, got " + trainSamples
                    + ", " + epochs);
        }
        if (!spec.kind().isUff()) {
            throw new IllegalArgumentException("a layer pipeline trains the cells of a UFF model (ae, dae, gan, cae), "
                    + "not " + spec.kind().id());
        }
    }
}
