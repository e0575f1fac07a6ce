package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.checkpoint.Checkpoint;
import dev.uff4j.checkpoint.CheckpointFile;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.checkpoint.TrainingCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.model.FrozenFeatureClassifier;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.train.Progress;
import dev.uff4j.train.TrainResult;
import dev.uff4j.train.Trainer;
import dev.uff4j.train.TrainingPosition;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code uff4j train}: trains a model on a real dataset and reports its test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on a dataset's training split and report its accuracy on the full test split.",
                "Unset options take the defaults documented in docs/learning-quality.md."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "D", defaultValue = "mnist",
            description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "10",
            description = "Epochs (greedy: per stage) (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training samples only.")
    Integer limit;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model to FILE (checkpoint).")
    Path save;

    @Option(names = "--save-every", paramLabel = "K", description = {"Also write FILE (--save) after every K-th "
            + "epoch, with the optimizer state and the run's position, so that --resume FILE can continue the run."})
    Integer saveEvery;

    @Option(names = "--resume", paramLabel = "FILE", description = {"Continue the run that FILE (written with "
            + "--save-every) holds to its planned end: its model, dataset, samples and epochs. Model options given "
            + "too must agree with FILE's."})
    Path resume;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report to FILE.")
    Path report;

    @Option(names = "--baselines", description = {"Also train, with the same budget, the same head on the raw input "
            + "and a linear probe on the trained model's latents, and report both accuracies."})
    boolean baselines;

    @Option(names = "--sequential", description = {"Run a pipelined UFF model's parts one after the other on all "
            + "threads. By default, on the cpu backend with at least as many cells as threads, each cell and the head "
            + "train on a thread of their own (same result, faster: docs/performance.md)."})
    boolean sequential;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetId id = RuntimeOptions.dataset(dataset);
        if (epochs < 1 || epochs > 100_000) {
            throw new Main.UsageException("--epochs must be in [1, 100000], got " + epochs);
        }
        if (saveEvery != null && (saveEvery < 1 || save == null)) {
            throw new Main.UsageException(save == null ? "--save-every needs --save FILE, the file to write"
                    : "--save-every must be at least 1, got " + saveEvery);
        }
        runtime.validate();
        RuntimeOptions.checkOutput("--save", save);
        RuntimeOptions.checkOutput("--report", report);
        ProgressBar progress = runtime.progressBar(err);
        Resume from = resume == null ? null : Resume.read(resume, this);
        ModelSpec modelSpec;
        if (from != null) {
            modelSpec = from.spec();
            id = from.dataset();
            epochs = from.epochs();
        } else {
            modelSpec = modelOptions.spec(id);
        }
        // the data first, so that its errors come before the backend's notices
        DataSplit data = runtime.load(id, err);
        Dataset train = data.train();
        Integer samples = from != null ? Integer.valueOf(from.trainSamples()) : limit;
        if (samples != null) {
            if (samples < 1 || samples > train.count()) {
                throw new Main.UsageException((from != null ? resume + ": the run trained on " + samples
                        + " samples, but " + id.id() + " has " : "--limit must be in [1, " + train.count()
                        + "], got " + samples + " of ") + train.count());
            }
            train = train.head(samples);
        }
        try (Backend backend = runtime.openBackend(err)) {
            // before the model allocates anything: one that cannot fit fails at once
            try {
                RuntimeOptions.checkMemory(modelSpec, backend);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage());
            }
            TrainingPosition position = null;
            Model m;
            if (from != null) {
                TrainingCheckpoint.Resumable r = TrainingCheckpoint.load(resume, backend);
                m = r.model();
                position = r.position();
            } else {
                m = Models.create(backend, modelSpec);
            }
            out.println("uff4j " + Main.version() + ": training " + modelSpec.kind().id() + " on " + id.id() + " ("
                    + train.count() + " train, " + data.test().count() + " test samples), " + epochs + " epoch"
                    + (epochs == 1 ? "" : "s") + ", " + backend.description());
            if (position != null) {
                out.println("resuming " + resume + " after " + position.epochsFinished() + " of "
                        + position.epochs() * m.stages() + " epochs");
            }
            out.flush();
            Trainer trainer = new Trainer(backend, m).partsInParallel(!sequential);
            Map<String, String> extras = extras(id, train.count());
            if (saveEvery != null) {
                trainer.addListener(TrainingCheckpoint.every(save, saveEvery, extras));
            }
            if (position != null) {
                trainer.resume(position);
            }
            TrainResult result = trainer.train(train, data.test(), epochs, progress);
            Map<String, Object> baselineReport = baselines ? runBaselines(backend, m, train, data, progress, out)
                    : null;
            out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d test samples)%n", 100 * result.testAccuracy(),
                    data.test().count());
            out.printf(Locale.ROOT, "train time: %.1f s, %.0f samples/s%n", result.trainSeconds(),
                    result.samplesPerSecond());
            if (save != null) {
                if (saveEvery == null) {
                    ModelCheckpoint.save(save, m, extras);
                } // else the listener wrote it after the last epoch, with the training state
                out.println("saved model to " + save);
            }
            if (report != null) {
                Map<String, Object> r = Reports.train(modelSpec, id, backend, train.count(),
                        data.test().count(), result);
                r.put("parameters", m.parameterGroups().values().stream().mapToLong(ParameterSet::size).sum());
                if (baselineReport != null) {
                    r.put("baselines", baselineReport);
                }
                if (save != null) {
                    r.put("model_file", save.toString());
                }
                Json.writeFile(report, r);
                out.println("wrote report to " + report);
            }
        }
        return Main.OK;
    }

    /** What a checkpoint of this run records besides the model. */
    private Map<String, String> extras(DatasetId id, int trainSamples) {
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("dataset", id.id());
        extras.put("uff4j_version", Main.version());
        extras.put("train_samples", Integer.toString(trainSamples));
        extras.put("epochs", Integer.toString(epochs));
        return extras;
    }

    /**
     * A run to resume, as its checkpoint describes it; every option of this command that defines the run must
     * agree with it.
     */
    private record Resume(ModelSpec spec, DatasetId dataset, int trainSamples, int epochs) {
        static Resume read(Path file, TrainCommand c) {
            Checkpoint checkpoint = CheckpointFile.read(file);
            if (checkpoint.config().get("run.phase") == null) {
                throw new Main.UsageException("--resume " + file + ": holds no training state, so its run cannot be "
                        + "resumed (train --save FILE --save-every K writes resumable checkpoints)");
            }
            ModelSpec spec = ModelCheckpoint.spec(file, checkpoint);
            String datasetName = checkpoint.config().get("dataset");
            DatasetId dataset = RuntimeOptions.dataset(datasetName == null ? c.dataset : datasetName);
            int samples;
            int epochs;
            try {
                samples = Integer.parseInt(checkpoint.config().get("run.train_samples"));
                epochs = Integer.parseInt(checkpoint.config().get("run.epochs"));
            } catch (NumberFormatException e) {
                throw new Main.UsageException("--resume " + file + ": unusable training state (run.train_samples "
                        + checkpoint.config().get("run.train_samples") + ", run.epochs " + checkpoint.config().get("run.epochs")
                        + ")");
            }
            var given = c.spec.commandLine().getParseResult();
            List<String> mismatches = new ArrayList<>();
            if (given.hasMatchedOption("--dataset") && !c.dataset.equals(dataset.id())) {
                mismatches.add("dataset " + dataset.id() + " (checkpoint) vs " + c.dataset + " (command)");
            }
            if (given.hasMatchedOption("--epochs") && c.epochs != epochs) {
                mismatches.add("epochs " + epochs + " (checkpoint) vs " + c.epochs + " (command)");
            }
            if (given.hasMatchedOption("--limit") && c.limit != samples) {
                mismatches.add("samples " + samples + " (checkpoint) vs " + c.limit + " (command)");
            }
            if (ModelOptions.NAMES.stream().anyMatch(given::hasMatchedOption)) {
                ModelSpec mine = c.modelOptions.spec(dataset);
                Map<String, String> theirs = spec.toConfig();
                mine.toConfig().forEach((k, v) -> {
                    if (!v.equals(theirs.get(k))) {
                        mismatches.add(k + " " + theirs.get(k) + " (checkpoint) vs " + v + " (command)");
                    }
                });
            }
            if (!mismatches.isEmpty()) {
                throw new Main.UsageException("--resume " + file + ": the checkpoint's run differs from this "
                        + "command's: " + String.join("; ", mismatches));
            }
            return new Resume(spec, dataset, samples, epochs);
        }
    }

    private Map<String, Object> runBaselines(Backend backend, Model m, Dataset train, DataSplit data,
                                             Progress progress, PrintWriter out) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epochs", epochs);
        TrainResult raw;
        // each baseline's head and batch buffers are freed when it is done (device memory on a GPU)
        try (FrozenFeatureClassifier head = FrozenFeatureClassifier.onRawInput(backend, m.spec());
             Trainer trainer = new Trainer(backend, head)) {
            raw = trainer.train(train, data.test(), epochs, progress);
        }
        r.put("raw_head_test_accuracy", raw.testAccuracy());
        out.printf(Locale.ROOT, "baseline, same head on raw input: %.2f%%%n", 100 * raw.testAccuracy());
        if (m.spec().kind() != ModelKind.BP) {
            TrainResult probe;
            try (FrozenFeatureClassifier head = FrozenFeatureClassifier.linearProbe(backend, m);
                 Trainer trainer = new Trainer(backend, head)) {
                probe = trainer.train(train, data.test(), epochs, progress);
            }
            r.put("linear_probe_test_accuracy", probe.testAccuracy());
            out.printf(Locale.ROOT, "baseline, linear probe on the cells' latents: %.2f%%%n",
                    100 * probe.testAccuracy());
        }
        return r;
    }
}
