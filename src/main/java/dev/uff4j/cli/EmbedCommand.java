package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;
import dev.uff4j.checkpoint.Checkpoint;
import dev.uff4j.checkpoint.CheckpointFile;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Dataset;
import dev.uff4j.io.AtomicFile;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code uff4j embed}: reloads a saved model and writes the features its head reads ({@link Model#features}) for
 * every sample of a dataset split to a CSV file, for use by other tools.
 */
@Command(name = "embed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reload a model saved by 'train --save' and write the latents its head reads (the features) "
                + "for a dataset split to a CSV file.",
                "Columns: split,index,label,f0,...,f{D-1}; one row per sample, numbers as Java's Float.toString."})
final class EmbedCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model-file", paramLabel = "FILE", required = true, description = "Checkpoint to embed with.")
    Path modelFile;

    @Option(names = "--dataset", paramLabel = "D", required = true, description = "mnist, fashion-mnist or cifar10.")
    String dataset;

    @Option(names = "--split", paramLabel = "S", defaultValue = "test",
            description = "test, train or both (train rows first) (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--limit", paramLabel = "N", description = "Embed the first N samples of each split only.")
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE", required = true,
            description = "CSV file to write (replaced atomically when complete).")
    Path out;

    @Mixin
    RuntimeOptions runtime;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetId id = RuntimeOptions.dataset(dataset);
        List<String> splits = splits(split);
        if (limit != null && limit < 1) {
            throw new Main.UsageException("--limit must be at least 1, got " + limit);
        }
        runtime.validate();
        RuntimeOptions.checkOutput("--out", out);
        ProgressBar progress = runtime.progressBar(err);
        // the file and the data first, so that their errors come before the backend's notices
        Checkpoint checkpoint = CheckpointFile.read(modelFile);
        ModelSpec modelSpec = ModelCheckpoint.spec(modelFile, checkpoint);
        RuntimeOptions.checkModelReads(modelFile, modelSpec, id);
        DataSplit data = runtime.load(id, err);
        List<Dataset> sets = new ArrayList<>();
        for (String s : splits) {
            sets.add(s.equals("train") ? data.train() : data.test());
        }
        if (limit != null) {
            int max = Integer.MAX_VALUE;
            String smallest = null;
            for (int i = 0; i < sets.size(); i++) {
                if (sets.get(i).count() < max) {
                    max = sets.get(i).count();
                    smallest = splits.get(i);
                }
            }
            if (limit > max) {
                throw new Main.UsageException("--limit must be in [1, " + max + "] (the " + id.id() + " " + smallest
                        + " split has " + max + " samples), got " + limit);
            }
            sets.replaceAll(s -> s.head(limit));
        }
        long rows = 0;
        for (Dataset s : sets) {
            rows += s.count();
        }
        try (Backend backend = runtime.openBackend(err)) {
            ModelCheckpoint.Loaded loaded = RuntimeOptions.loadModel(modelFile, checkpoint, modelSpec, backend, err,
                    "embed");
            Model model = loaded.model();
            String trainedOn = loaded.config().get("dataset");
            if (trainedOn != null && !trainedOn.equals(id.id())) {
                err.println("uff4j embed: warning: " + modelFile + " was trained on " + trainedOn + ", embedding "
                        + id.id());
            }
            int features = model.featureSize();
            progress.plan(rows);
            writeAtomically(out, w -> new Embedder(backend, model, w).run(splits, sets, progress));
            stdout.println("wrote " + rows + " rows x " + features + " features to " + out);
        }
        return Main.OK;
    }

    static List<String> splits(String s) {
        return switch (s) {
            case "test" -> List.of("test");
            case "train" -> List.of("train");
            case "both" -> List.of("train", "test");
            default -> throw new Main.UsageException("--split must be test, train or both, got '" + s + "'");
        };
    }

    /** Computes the features batch by batch on the backend and writes them as CSV rows. */
    private static final class Embedder {
        private final Backend backend;
        private final Model model;
        private final Writer w;
        private final int batch;
        private final int width;
        private final Tensor x;
        private final float[] host;
        /** One row's text, reused; copied out through {@link #chars} so that no String is made per row. */
        private final StringBuilder row = new StringBuilder(256);
        private char[] chars = new char[256];

        Embedder(Backend backend, Model model, Writer w) {
            this.backend = backend;
            this.model = model;
            this.w = w;
            this.batch = model.spec().optimization().batch();
            this.width = model.featureSize();
            this.x = backend.zeros(batch, model.spec().inputSize());
            this.host = new float[batch * width];
        }

        void run(List<String> splits, List<Dataset> sets, Progress progress) throws IOException {
            row.setLength(0);
            row.append("split,index,label");
            for (int j = 0; j < width; j++) {
                row.append(",f").append(j);
            }
            emitRow();
            for (int i = 0; i < sets.size(); i++) {
                String name = splits.get(i);
                Dataset set = sets.get(i);
                int n = set.count();
                int in = set.features();
                progress.start("embed " + name, n);
                long t0 = System.nanoTime();
                for (int from = 0; from < n; from += batch) {
                    int rows = Math.min(batch, n - from);
                    Tensor xb = x.firstRows(rows);
                    backend.upload(set.values(), from * in, xb);
                    backend.download(model.features(xb), host, 0);
                    for (int r = 0; r < rows; r++) {
                        row.setLength(0);
                        row.append(name).append(',').append(from + r).append(',').append(set.labels()[from + r]);
                        int base = r * width;
                        for (int j = 0; j < width; j++) {
                            // the same digits as Float.toString, whatever the default Locale
                            row.append(',').append(host[base + j]);
                        }
                        emitRow();
                    }
                    progress.advance(from + rows);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                progress.end(String.format(Locale.ROOT, "embedded %d %s samples: %.1f s, %.0f samples/s", n, name,
                        seconds, n / Math.max(seconds, 1e-9)));
            }
        }

        private void emitRow() throws IOException {
            row.append('\n');
            int len = row.length();
            if (chars.length < len) {
                chars = new char[Math.max(len, 2 * chars.length)];
            }
            row.getChars(0, len, chars, 0);
            w.write(chars, 0, len);
        }
    }

    interface WriteBody {
        void write(Writer w) throws IOException;
    }

    /**
     * Writes {@code file} atomically ({@link AtomicFile}), as checkpoints are written: on any failure the temporary
     * file is deleted and a file already at {@code file} is left as it was.
     */
    static void writeAtomically(Path file, WriteBody body) {
        AtomicFile.write(file, channel -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(channel),
                    StandardCharsets.UTF_8), 1 << 16);
            body.write(w);
            w.flush();
        });
    }
}
