package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.Cell;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.model.UffModel;
import dev.uff4j.report.ImageGrid;
import dev.uff4j.report.LinePlot;
import dev.uff4j.train.EpochStats;
import dev.uff4j.model.FrozenFeatureClassifier;
import dev.uff4j.train.TrainResult;
import dev.uff4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code uff4j compare}: trains each model with its defaults and the same budget on one dataset, then writes a
 * Markdown table, a JSON file and PNG plots (test accuracy per epoch; inputs and each model's first-cell
 * reconstructions or generated samples) to an output folder.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train several models with the same budget and write a comparison (table, JSON, plots).")
final class CompareCommand implements Callable<Integer> {
    static final String DEFAULT_MODELS = "ae,dae,cae,gan,ff,bp";
    private static final int SHOWN_IMAGES = 10;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dataset", paramLabel = "D", defaultValue = "mnist",
            description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--models", paramLabel = "LIST", defaultValue = DEFAULT_MODELS,
            description = "Models to train, comma-separated: ae, dae, gan, cae, bp, bp-cnn, ff "
                    + "(default: ${DEFAULT-VALUE}).")
    String models;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "3",
            description = "Epochs for every model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training samples.")
    Integer limit;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Output folder (default: compare-<dataset>); results.md, results.json, accuracy.png, "
                    + "reconstructions.png.")
    Path out;

    @Mixin
    RuntimeOptions runtime;

    /** One model's figures. */
    record Row(String model, double testAccuracy, double rawHead, double probe, double trainSeconds,
               double samplesPerSecond, long peakHeapBytes, double[] accuracyPerEpoch, String command) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetId id = RuntimeOptions.dataset(dataset);
        if (epochs < 1 || epochs > 10_000) {
            throw new Main.UsageException("--epochs must be in [1, 10000], got " + epochs);
        }
        List<ModelKind> kinds = parseModels(models);
        Path dir = out == null ? Path.of("compare-" + id.id()) : out;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Main.UsageException("--out " + dir + " is a file; give a folder");
        }
        runtime.validate();
        RuntimeOptions.checkOutput("--out", dir.resolve("results.md"));
        DataSplit data = runtime.load(id, err);
        Dataset train = data.train();
        if (limit != null) {
            if (limit < 1 || limit > train.count()) {
                throw new Main.UsageException("--limit must be in [1, " + train.count() + "], got " + limit);
            }
            train = train.head(limit);
        }
        Files.createDirectories(dir);
        ProgressBar progress = runtime.progressBar(err);
        List<Row> rows = new ArrayList<>();
        List<ImageGrid.Row> pictures = new ArrayList<>();
        pictures.add(new ImageGrid.Row("input", inputs(data.test())));
        try (Backend backend = runtime.openBackend(err)) {
            stdout.println("uff4j " + Main.version() + ": comparing " + models + " on " + id.id() + " ("
                    + train.count() + " train samples), " + epochs + " epoch" + (epochs == 1 ? "" : "s") + " each, "
                    + backend.description());
            stdout.flush();
            // the raw-input baseline of each distinct head (width, augmentation), trained once
            Map<String, Double> rawByHead = new HashMap<>();
            for (ModelKind kind : kinds) {
                try {
                    ModelSpec s = specFor(kind, id);
                    String head = s.head().hidden() + "/" + s.augmentation();
                    if (!rawByHead.containsKey(head)) {
                        rawByHead.put(head, new Trainer(backend, FrozenFeatureClassifier.onRawInput(backend, s))
                                .train(train, data.test(), epochs, progress).testAccuracy());
                    }
                    double raw = rawByHead.get(head);
                    compareOne(backend, kind, id, train, data, raw, progress, rows, pictures, stdout);
                } catch (RuntimeException | OutOfMemoryError e) {
                    // one model's failure (e.g. out of memory) still leaves the others' figures
                    err.println("uff4j compare: " + kind.id() + " failed: " + Main.oneLine(e));
                    rows.add(new Row(kind.id() + " (failed: " + Main.oneLine(e).replace('|', '/') + ")", Double.NaN,
                            Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, new double[0], ""));
                }
                write(dir, id, rows, pictures, backend.description()); // after each model: partial results survive
            }
        }
        stdout.println("wrote " + dir.resolve("results.md") + ", results.json, accuracy.png and reconstructions.png");
        return rows.stream().anyMatch(r -> Double.isNaN(r.testAccuracy())) ? Main.RUNTIME_ERROR : Main.OK;
    }

    private void compareOne(Backend backend, ModelKind kind, DatasetId id, Dataset train, DataSplit data,
                            double raw, ProgressBar progress, List<Row> rows, List<ImageGrid.Row> pictures,
                            PrintWriter stdout) {
        ModelSpec s = specFor(kind, id);
        RuntimeOptions.checkMemory(s, backend);
        Model model = Models.create(backend, s);
        resetPeakHeap();
        TrainResult r = new Trainer(backend, model).train(train, data.test(), epochs, progress);
        long peak = peakHeap();
        boolean uff = model instanceof UffModel || kind == ModelKind.FF;
        double probe = uff ? new Trainer(backend, FrozenFeatureClassifier.linearProbe(backend, model))
                .train(train, data.test(), epochs, progress).testAccuracy() : Double.NaN;
        double[] perEpoch = r.epochsDetail().stream().filter(e -> !Double.isNaN(e.testAccuracy()))
                .mapToDouble(EpochStats::testAccuracy).toArray();
        rows.add(new Row(kind.id(), r.testAccuracy(), uff ? raw : Double.NaN, probe, r.trainSeconds(),
                r.samplesPerSecond(), peak, perEpoch, "bin/uff4j train --model " + kind.id() + " --dataset "
                + id.id() + " --epochs " + epochs + (limit == null ? "" : " --limit " + limit)
                + " --seed " + seed + (uff ? " --baselines" : "")));
        if (model instanceof UffModel u) {
            Cell cell = u.cells().get(0);
            List<float[]> shown = images(data.test(), backend, cell, s.optimization().batch());
            if (shown != null) {
                pictures.add(new ImageGrid.Row(kind.id() + (kind == ModelKind.GAN ? " samples" : ""), shown));
            }
        }
        stdout.printf(Locale.ROOT, "%s: %.2f%% in %.1f s%n", kind.id(), 100 * r.testAccuracy(),
                r.trainSeconds());
        stdout.flush();
    }

    private ModelSpec specFor(ModelKind kind, DatasetId id) {
        return DatasetPresets.builder(kind, id).seed(seed).build();
    }

    static List<ModelKind> parseModels(String text) {
        List<ModelKind> kinds = new ArrayList<>();
        for (String s : text.split(",", -1)) {
            try {
                ModelKind k = ModelKind.parse(s.trim());
                if (kinds.contains(k)) {
                    throw new Main.UsageException("--models names " + k.id() + " twice");
                }
                kinds.add(k);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--models: " + e.getMessage());
            }
        }
        return kinds;
    }

    /** The first test images. */
    private static List<float[]> inputs(Dataset test) {
        List<float[]> list = new ArrayList<>();
        int size = test.features();
        for (int i = 0; i < Math.min(SHOWN_IMAGES, test.count()); i++) {
            float[] img = new float[size];
            System.arraycopy(test.values(), i * size, img, 0, size);
            list.add(img);
        }
        return list;
    }

    /** The first test images as {@code cell} reconstructs them (or its samples); null when it cannot. */
    private static List<float[]> images(Dataset test, Backend backend, Cell cell, int batch) {
        int size = test.features();
        if (cell.spec().input() != size) {
            return null;
        }
        // a whole batch, as in training (lifetime sparsity is over a batch's rows); the first images are shown
        int rows = Math.min(batch, test.count());
        if (rows < SHOWN_IMAGES) {
            return null;
        }
        Tensor x = backend.zeros(rows, size);
        backend.upload(test.values(), 0, x);
        Tensor r = cell.reconstruct(x);
        if (r == null) {
            return null;
        }
        float[] all = new float[rows * size];
        backend.download(r, all, 0);
        List<float[]> list = new ArrayList<>();
        for (int i = 0; i < SHOWN_IMAGES; i++) {
            float[] img = new float[size];
            System.arraycopy(all, i * size, img, 0, size);
            list.add(img);
        }
        return list;
    }

    private void write(Path dir, DatasetId id, List<Row> rows, List<ImageGrid.Row> pictures, String backend)
            throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# uff4j compare: ").append(id.id()).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d epochs per model, %s, seed %d, %s. Peak memory is the JVM heap's "
                + "peak while the model trained (device memory not included). Raw head: the same head trained on the "
                + "raw input; probe: a linear head on the model's frozen features.%n%n", epochs,
                limit == null ? "all training samples" : limit + " training samples", seed, backend));
        md.append("| model | test accuracy | raw head | probe | train time | samples/s | peak heap |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f s | %.0f | %d MiB |%n", r.model(),
                    pct(r.testAccuracy()), pct(r.rawHead()), pct(r.probe()), r.trainSeconds(), r.samplesPerSecond(),
                    r.peakHeapBytes() >> 20));
        }
        md.append("\nEach row again on its own (with its baselines):\n\n");
        for (Row r : rows) {
            md.append("    ").append(r.command()).append('\n');
        }
        md.append("\n![test accuracy per epoch](accuracy.png)\n\n![reconstructions](reconstructions.png)\n");
        Json.writeText(dir.resolve("results.md"), md.toString());

        List<Object> json = new ArrayList<>();
        List<LinePlot.Series> series = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model());
            m.put("test_accuracy", r.testAccuracy());
            m.put("raw_head_test_accuracy", r.rawHead());
            m.put("linear_probe_test_accuracy", r.probe());
            m.put("train_seconds", r.trainSeconds());
            m.put("samples_per_second", r.samplesPerSecond());
            m.put("peak_heap_bytes", r.peakHeapBytes());
            List<Object> acc = new ArrayList<>();
            double[] x = new double[r.accuracyPerEpoch().length];
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                acc.add(r.accuracyPerEpoch()[i]);
                x[i] = i + 1;
                y[i] = 100 * r.accuracyPerEpoch()[i];
            }
            m.put("test_accuracy_per_epoch", acc);
            m.put("command", r.command());
            json.add(m);
            series.add(new LinePlot.Series(r.model(), x, y));
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("dataset", id.id());
        top.put("epochs", epochs);
        top.put("seed", seed);
        top.put("backend", backend);
        top.put("models", json);
        Json.writeFile(dir.resolve("results.json"), top);
        LinePlot.write(dir.resolve("accuracy.png"), "Test accuracy, " + id.id(), "epoch", "test accuracy (%)",
                series);
        ImageGrid.write(dir.resolve("reconstructions.png"), pictures,
                new ImageGrid.Format(side(id), side(id), id.channels(), 2));
    }

    private static int side(DatasetId id) {
        return (int) Math.round(Math.sqrt(id.inputSize() / (double) id.channels()));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long total = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                total += p.getPeakUsage().getUsed();
            }
        }
        return total;
    }
}
