package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.checkpoint.Checkpoint;
import dev.uff4j.checkpoint.CheckpointFile;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code uff4j eval}: reloads a saved model and measures its accuracy on a test split. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reload a model saved by 'train --save' and report its accuracy on the full test split.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model-file", paramLabel = "FILE", required = true, description = "Checkpoint to evaluate.")
    Path modelFile;

    @Option(names = "--dataset", paramLabel = "D", required = true, description = "mnist, fashion-mnist or cifar10.")
    String dataset;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report to FILE.")
    Path report;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetId id = RuntimeOptions.dataset(dataset);
        runtime.validate();
        RuntimeOptions.checkOutput("--report", report);
        // the file and the data first, so that their errors come before the backend's notices
        Checkpoint checkpoint = CheckpointFile.read(modelFile);
        ModelSpec modelSpec = ModelCheckpoint.spec(modelFile, checkpoint);
        RuntimeOptions.checkModelReads(modelFile, modelSpec, id);
        DataSplit data = runtime.load(id, err);
        try (Backend backend = runtime.openBackend(err)) {
            ModelCheckpoint.Loaded loaded = RuntimeOptions.loadModel(modelFile, checkpoint, modelSpec, backend, err,
                    "eval");
            Model model = loaded.model();
            String trainedOn = loaded.config().get("dataset");
            if (trainedOn != null && !trainedOn.equals(id.id())) {
                err.println("uff4j eval: warning: " + modelFile + " was trained on " + trainedOn + ", evaluating on "
                        + id.id());
            }
            long t0 = System.nanoTime();
            double accuracy = new Trainer(backend, model).evaluate(data.test());
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d test samples)%n", 100 * accuracy, data.test().count());
            if (report != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("command", "eval");
                r.put("uff4j_version", Main.version());
                r.put("model", model.spec().kind().id());
                r.put("dataset", id.id());
                r.put("model_file", modelFile.toString());
                r.put("backend", backend.name());
                r.put("threads", backend.threads());
                r.put("test_samples", data.test().count());
                r.put("test_accuracy", accuracy);
                r.put("eval_seconds", seconds);
                r.put("config", new LinkedHashMap<String, Object>(loaded.config()));
                Json.writeFile(report, r);
                out.println("wrote report to " + report);
            }
        }
        return Main.OK;
    }
}
