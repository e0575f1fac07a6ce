package dev.uff4j.flink;

import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.ModelSpec;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What every operator of the pipeline needs to know, shipped with the job (so plain strings and numbers): the model
 * spec as its configuration pairs, where the data is on the workers, the run's length, and the test-only failure
 * injection. Operators rebuild the {@link ModelSpec} and the training set from it when they open.
 */
final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The spec as {@link ModelSpec#toConfig()} writes it. */
    private final LinkedHashMap<String, String> spec;
    private final String dataset;
    private final String dataDir;
    private final int trainSamples;
    private final int epochs;
    private final int threadsPerStage;
    private final long batchDelayMs;
    /** The part that fails once, for tests ({@code cell1} ... or {@code head}), or null. */
    private final String failPart;
    private final long failAtBatch;

    PipelineConfig(ModelSpec spec, DatasetId dataset, Path dataDir, int trainSamples, int epochs,
                   int threadsPerStage, long batchDelayMs, String failPart, long failAtBatch) {
        this.spec = new LinkedHashMap<>(spec.toConfig());
        this.dataset = dataset.id();
        this.dataDir = dataDir.toString();
        this.trainSamples = trainSamples;
        this.epochs = epochs;
        this.threadsPerStage = threadsPerStage;
        this.batchDelayMs = batchDelayMs;
        this.failPart = failPart;
        this.failAtBatch = failAtBatch;
        if (failPart != null && !failPart.equals("head")) {
            int cells = spec.cells().count();
            if (!failPart.matches("cell[1-9][0-9]*") || Integer.parseInt(failPart.substring(4)) > cells) {
                throw new IllegalArgumentException("inject-failure-part must be cell1 .. cell" + cells
                        + " or head, got " + failPart);
            }
        }
    }

    /** The model's specification, rebuilt. */
    ModelSpec spec() {
        return ModelSpec.fromConfig(spec);
    }

    /** The spec's pairs (for the job's name and reports). */
    Map<String, String> specConfig() {
        return new LinkedHashMap<>(spec);
    }

    int trainSamples() {
        return trainSamples;
    }

    int epochs() {
        return epochs;
    }

    int threadsPerStage() {
        return threadsPerStage;
    }

    long batchDelayMs() {
        return batchDelayMs;
    }

    DatasetId dataset() {
        return DatasetId.parse(dataset);
    }

    Path dataDir() {
        return Path.of(dataDir);
    }

    /** Cells in the model. */
    int cells() {
        return Integer.parseInt(spec.get("cells"));
    }

    /** Steps of one epoch: the last batch may be smaller. */
    int stepsPerEpoch() {
        int batch = Integer.parseInt(spec.get("batch"));
        return (trainSamples + batch - 1) / batch;
    }

    /** Batches of the whole run: {@code epochs * stepsPerEpoch}. */
    long totalBatches() {
        return (long) epochs * stepsPerEpoch();
    }

    /** Whether the head reads every cell's latents, concatenated row by row in cell order. */
    boolean concatenated() {
        return HeadInput.parse(spec.get("head_input")) == HeadInput.ALL && cells() > 1;
    }

    /**
     * Whether the part should fail on this batch: the injected failure's part, at or after its batch, only in the
     * first attempt of the task and only once a checkpoint has completed (so that the restore has one to go back to).
     */
    boolean failsAt(String part, long batch, int attempt, boolean checkpointCompleted) {
        return part.equals(failPart) && batch >= failAtBatch && attempt == 0 && checkpointCompleted;
    }

    /**
     * The job's training set: the first {@code trainSamples} training samples of the dataset, read from
     * {@code dataDir} on the worker.
     */
    Dataset loadTrain() {
        return Datasets.load(dataset(), dataDir()).train().head(trainSamples);
    }

    @Override
    public String toString() {
        return spec.get("model") + " (" + cells() + " cells) on " + dataset + " (" + trainSamples + " samples from "
                + dataDir + "), " + epochs + " epochs";
    }

    static String partName(int index, int cells) {
        Objects.checkIndex(index, cells + 1);
        return index == cells ? "head" : "cell" + (index + 1);
    }
}
