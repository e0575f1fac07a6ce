package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.checkpoint.TrainingCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.distributed.Engines;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.PipelineEngine;
import dev.uff4j.distributed.PipelineJob;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.PartState;
import dev.uff4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code uff4j pipeline}: trains a UFF model as a layer pipeline on an engine, one stage per cell. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a UFF model as a layer pipeline: a stage per cell and one for the head, batches flowing "
                + "from the first cell to the head (the pipelined schedule, each stage apart).",
                "Engines: local (a thread per stage in this process) or flink (engines/flink; a Flink job, local "
                        + "MiniCluster or a cluster). Both train the same model as train --schedule pipelined."})
final class PipelineCommand implements Callable<Integer> {
    @Option(names = "--engine", paramLabel = "E", defaultValue = "local",
            description = "local or flink (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--dataset", paramLabel = "D", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training samples only.")
    Integer limit;

    @Option(names = "--engine-option", paramLabel = "KEY=VALUE",
            description = "An engine setting, e.g. checkpoint-interval-ms=2000 or taskmanagers=3 (flink; see "
                    + "engines/flink/README.md); repeatable.")
    Map<String, String> engineOptions = new LinkedHashMap<>();

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model (with its optimizer state).")
    Path save;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report to FILE.")
    Path report;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RuntimeOptions runtime;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetId id = RuntimeOptions.dataset(dataset);
        if (epochs < 1 || epochs > 100_000) {
            throw new Main.UsageException("--epochs must be in [1, 100000], got " + epochs);
        }
        ModelSpec modelSpec = modelOptions.spec(id);
        if (!modelSpec.kind().isUff()) {
            throw new Main.UsageException("--model: a layer pipeline trains the cells of a UFF model (ae, dae, gan, "
                    + "cae), not " + modelSpec.kind().id());
        }
        runtime.validate();
        RuntimeOptions.checkOutput("--save", save);
        RuntimeOptions.checkOutput("--report", report);
        PipelineEngine chosen;
        try {
            chosen = Engines.pipeline(engine);
        } catch (IllegalStateException e) {
            throw new Main.UsageException("--engine " + engine + ": " + e.getMessage());
        }
        DataSplit data = runtime.load(id, err);
        int samples = limit == null ? data.train().count() : limit;
        if (samples < 1 || samples > data.train().count()) {
            throw new Main.UsageException("--limit must be in [1, " + data.train().count() + "], got " + samples);
        }
        Map<String, String> options = new LinkedHashMap<>(engineOptions);
        options.putIfAbsent("threads", Integer.toString(runtime.threadCount()));
        out.println("uff4j " + Main.version() + ": pipeline of " + modelSpec.cells().count() + " cell"
                + (modelSpec.cells().count() == 1 ? "" : "s") + " and a head on " + engine + ", " + modelSpec.kind().id()
                + " on " + id.id() + " (" + samples + " train samples), " + epochs + " epochs");
        out.flush();
        long t0 = System.nanoTime();
        List<PartState> parts;
        try {
            parts = chosen.train(new PipelineJob(modelSpec, id, runtime.dataDir(), samples, epochs, options,
                    line -> {
                        err.println("uff4j: " + line);
                        err.flush();
                    }));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Main.RunException("the " + engine + " engine failed: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (Backend backend = runtime.openBackend(err);
             Model model = FederatedAveraging.assemble(backend, modelSpec, parts);
             Trainer trainer = new Trainer(backend, model)) {
            double accuracy = trainer.evaluate(data.test());
            out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d test samples)%n", 100 * accuracy,
                    data.test().count());
            out.printf(Locale.ROOT, "train time: %.1f s, %.0f samples/s (engine start included)%n", seconds,
                    (double) samples * epochs / seconds);
            if (save != null) {
                Map<String, String> extras = new LinkedHashMap<>();
                extras.put("dataset", id.id());
                extras.put("uff4j_version", Main.version());
                extras.put("train_samples", Integer.toString(samples));
                extras.put("epochs", Integer.toString(epochs));
                extras.put("engine", engine);
                TrainingCheckpoint.saveState(save, model, extras);
                out.println("saved model to " + save);
            }
            if (report != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("command", "pipeline");
                r.put("uff4j_version", Main.version());
                r.put("engine", engine);
                r.put("model", modelSpec.kind().id());
                r.put("cells", modelSpec.cells().count());
                r.put("dataset", id.id());
                r.put("train_samples", samples);
                r.put("epochs", epochs);
                r.put("test_accuracy", accuracy);
                r.put("seconds", seconds);
                r.put("config", new LinkedHashMap<String, Object>(modelSpec.toConfig()));
                Json.writeFile(report, r);
                out.println("wrote report to " + report);
            }
        }
        return Main.OK;
    }
}
