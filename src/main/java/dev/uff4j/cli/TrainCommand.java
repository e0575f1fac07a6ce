package dev.uff4j.cli;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Noise;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.CellDef;
import dev.uff4j.model.CellKind;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.model.Schedule;
import dev.uff4j.model.FrozenFeatureClassifier;
import dev.uff4j.train.Progress;
import dev.uff4j.train.TrainResult;
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

/** {@code uff4j train}: trains a model on a real dataset and reports its test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model on a dataset's training split and report its accuracy on the full test split.",
                "Unset options take the defaults documented in docs/learning-quality.md."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "M", defaultValue = "dae",
            description = "ae, dae, gan, cae (UFF cells), bp, bp-cnn (back-propagation baselines) or ff "
                    + "(Forward-Forward) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--dataset", paramLabel = "D", defaultValue = "mnist",
            description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--cells", paramLabel = "N|LIST",
            description = "Number of cells (bp, ff: layers) of --hidden units, or a list of kind:width cells, e.g. "
                    + "cae:32,cae:64,ae:500 (cae width: feature maps; cae cells come first).")
    String cells;

    @Option(names = "--hidden", paramLabel = "H", description = "Latent width of every cell.")
    Integer hidden;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "10",
            description = "Epochs (greedy: per stage) (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", description = "Mini-batch size.")
    Integer batch;

    @Option(names = "--shift", paramLabel = "P", description = "Augmentation: translate each training image by up "
            + "to P pixels in each direction (0: off).")
    Integer shift;

    @Option(names = "--lr", paramLabel = "LR", description = "AdamW learning rate of cells and head.")
    Double lr;

    @Option(names = "--lr-schedule", paramLabel = "S",
            description = "constant, or cosine decay to zero over each training stage.")
    String lrSchedule;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW weight decay.")
    Double weightDecay;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of weights, shuffling and noise.")
    Long seed;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training samples only.")
    Integer limit;

    @Option(names = "--top-k", paramLabel = "K",
            description = "While a cell trains, keep the K largest latent values per sample (0: off).")
    Integer topK;

    @Option(names = "--latent-top-k", paramLabel = "K",
            description = "Keep the K largest values of the latent passed on (0: all, the dense code).")
    Integer latentTopK;

    @Option(names = "--layer-norm", negatable = true, description = "Layer-normalise the latent passed on.")
    Boolean layerNorm;

    @Option(names = "--activation", paramLabel = "A", description = "Encoder activation: relu, tanh, sigmoid, identity.")
    String activation;

    @Option(names = "--decoder-activation", paramLabel = "A", description = "Reconstruction activation.")
    String decoderActivation;

    @Option(names = "--noise-std", paramLabel = "S", description = "DAE Gaussian noise standard deviation.")
    Float noiseStd;

    @Option(names = "--mask-prob", paramLabel = "P", description = "DAE masking probability.")
    Float maskProb;

    @Option(names = "--l1", paramLabel = "L", description = "L1 penalty weight on each latent.")
    Float l1;

    @Option(names = "--lifetime-sparsity", paramLabel = "P",
            description = "While a cell trains, each latent unit keeps only its largest values on this fraction of "
                    + "the batch (0: off).")
    Float lifetime;

    @Option(names = "--head-hidden", paramLabel = "H", description = "Hidden width of the head (0: linear head).")
    Integer headHidden;

    @Option(names = "--head-input", paramLabel = "I", description = "all (every cell's latent) or last.")
    String headInput;

    @Option(names = "--schedule", paramLabel = "S", description = "pipelined or greedy.")
    String schedule;

    @Option(names = "--save", paramLabel = "FILE", description = "Write the trained model to FILE (checkpoint).")
    Path save;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report to FILE.")
    Path report;

    @Option(names = "--baselines", description = {"Also train, with the same budget, the same head on the raw input "
            + "and a linear probe on the trained model's latents, and report both accuracies."})
    boolean baselines;

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
        ModelSpecBuilder builder = builder(id);
        runtime.validate();
        RuntimeOptions.checkOutput("--save", save);
        RuntimeOptions.checkOutput("--report", report);
        ProgressBar progress = runtime.progressBar(err);
        ModelSpec modelSpec = build(builder.seed(seed == null ? ModelSpecBuilder.SEED : seed));
        // the data first, so that its errors come before the backend's notices
        DataSplit data = runtime.load(id, err);
        Dataset train = data.train();
        if (limit != null) {
            if (limit < 1 || limit > train.count()) {
                throw new Main.UsageException("--limit must be in [1, " + train.count() + "], got " + limit);
            }
            train = train.head(limit);
        }
        try (Backend backend = runtime.openBackend(err)) {
            // before the model allocates anything: one that cannot fit fails at once
            try {
                RuntimeOptions.checkMemory(modelSpec, backend);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage());
            }
            Model m = Models.create(backend, modelSpec);
            out.println("uff4j " + Main.version() + ": training " + modelSpec.kind().id() + " on " + id.id() + " ("
                    + train.count() + " train, " + data.test().count() + " test samples), " + epochs + " epoch"
                    + (epochs == 1 ? "" : "s") + ", " + backend.description());
            out.flush();
            Trainer trainer = new Trainer(backend, m);
            TrainResult result = trainer.train(train, data.test(), epochs, progress);
            Map<String, Object> baselineReport = baselines ? runBaselines(backend, m, train, data, progress, out)
                    : null;
            out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d test samples)%n", 100 * result.testAccuracy(),
                    data.test().count());
            out.printf(Locale.ROOT, "train time: %.1f s, %.0f samples/s%n", result.trainSeconds(),
                    result.samplesPerSecond());
            if (save != null) {
                Map<String, String> extras = new LinkedHashMap<>();
                extras.put("dataset", id.id());
                extras.put("uff4j_version", Main.version());
                extras.put("train_samples", Integer.toString(train.count()));
                extras.put("epochs", Integer.toString(epochs));
                ModelCheckpoint.save(save, m, extras);
                out.println("saved model to " + save);
            }
            if (report != null) {
                Map<String, Object> r = Reports.train(modelSpec, id, backend, train.count(),
                        data.test().count(), result);
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

    private Map<String, Object> runBaselines(Backend backend, Model m, Dataset train, DataSplit data,
                                             Progress progress, PrintWriter out) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epochs", epochs);
        TrainResult raw = new Trainer(backend, FrozenFeatureClassifier.onRawInput(backend, m.spec()))
                .train(train, data.test(), epochs, progress);
        r.put("raw_head_test_accuracy", raw.testAccuracy());
        out.printf(Locale.ROOT, "baseline, same head on raw input: %.2f%%%n", 100 * raw.testAccuracy());
        if (m.spec().kind() != ModelKind.BP) {
            TrainResult probe = new Trainer(backend, FrozenFeatureClassifier.linearProbe(backend, m))
                    .train(train, data.test(), epochs, progress);
            r.put("linear_probe_test_accuracy", probe.testAccuracy());
            out.printf(Locale.ROOT, "baseline, linear probe on the cells' latents: %.2f%%%n",
                    100 * probe.testAccuracy());
        }
        return r;
    }

    private ModelSpecBuilder builder(DatasetId id) {
        ModelKind kind;
        try {
            kind = ModelKind.parse(model);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        return DatasetPresets.builder(kind, id);
    }

    private ModelSpec build(ModelSpecBuilder b) {
        try {
            if (cells != null) {
                if (cells.contains(":")) {
                    b.cellList(CellDef.parseList(cells));
                } else {
                    try {
                        b.cells(Integer.parseInt(cells.trim()));
                    } catch (NumberFormatException e) {
                        throw new Main.UsageException("--cells must be a number or a list like cae:32,cae:64,ae:500, "
                                + "got '" + cells + "'");
                    }
                }
            }
            if (hidden != null) {
                b.hidden(hidden);
            }
            if (batch != null) {
                b.batch(batch);
            }
            if (shift != null) {
                b.shift(shift);
            }
            AdamW opt = ModelSpecBuilder.OPTIMIZER;
            if (lr != null || weightDecay != null) {
                opt = new AdamW(lr == null ? opt.lr() : lr, opt.beta1(), opt.beta2(), opt.eps(),
                        weightDecay == null ? opt.weightDecay() : weightDecay);
            }
            b.optimizer(opt);
            if (lrSchedule != null) {
                b.lrSchedule(LrSchedule.parse(lrSchedule));
            }
            if (topK != null) {
                b.topK(topK);
            }
            if (latentTopK != null) {
                b.latentTopK(latentTopK);
            }
            if (layerNorm != null) {
                b.layerNorm(layerNorm);
            }
            if (activation != null) {
                b.activation(Activation.parse(activation));
            }
            if (decoderActivation != null) {
                b.decoderActivation(Activation.parse(decoderActivation));
            }
            if (noiseStd != null || maskProb != null) {
                if (!model.equals("dae") && (cells == null || !cells.contains(":")
                        || CellDef.parseList(cells).stream().noneMatch(d -> d.kind() == CellKind.DAE))) {
                    throw new Main.UsageException("--noise-std and --mask-prob apply to dae cells only: --model dae, "
                            + "or a --cells list with a dae cell");
                }
                Noise d = ModelSpecBuilder.DAE_NOISE;
                b.noise(new Noise(noiseStd == null ? d.gaussianStd() : noiseStd, maskProb == null ? d.maskProb()
                        : maskProb));
            }
            if (l1 != null) {
                b.l1(l1);
            }
            if (lifetime != null) {
                b.lifetime(lifetime);
            }
            if (headHidden != null) {
                b.headHidden(headHidden);
            }
            if (headInput != null) {
                b.headInput(HeadInput.parse(headInput));
            }
            if (schedule != null) {
                b.schedule(Schedule.parse(schedule));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }
}
