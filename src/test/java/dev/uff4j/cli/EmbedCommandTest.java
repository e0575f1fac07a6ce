package dev.uff4j.cli;

import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Dataset;
import dev.uff4j.io.OutputException;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.uff4j.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code uff4j embed}: the CSV layout, that its numbers are the model's features, and its errors. */
class EmbedCommandTest {
    @TempDir
    Path tmp;

    private static void assertOneLineError(CliTest.Run r, int code, String... fragments) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        assertEquals(1, r.errLines().length, "exactly one line on stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should contain '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    private static DataSplit mnist() {
        return RealData.load(DatasetId.MNIST); // skips (or fails under uff4j.requireData) when MNIST is absent
    }

    /** Trains and saves a tiny model in-process; batch 16, so that 50 rows end in a partial batch. */
    private Path train(String name, String... modelOptions) {
        mnist();
        Path file = tmp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--data", System.getProperty("uff4j.data"),
                "--limit", "256", "--epochs", "1", "--hidden", "16", "--batch", "16", "--backend", "cpu",
                "--threads", "2", "--progress", "none", "--save", file.toString()));
        args.addAll(List.of(modelOptions));
        CliTest.Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return file;
    }

    private CliTest.Run embed(Path model, String... options) {
        List<String> args = new ArrayList<>(List.of("embed", "--model-file", model.toString(),
                "--dataset", "mnist", "--data", System.getProperty("uff4j.data"), "--backend", "cpu", "--threads",
                "2"));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    /** The model's features for {@code set}'s rows, computed the way embed batches them, on a 1-thread backend. */
    private static float[][] directFeatures(Path modelFile, Dataset set, int n) {
        try (CpuBackend backend = new CpuBackend(1)) {
            Model model = ModelCheckpoint.load(modelFile, backend).model();
            int batch = model.spec().optimization().batch();
            int in = set.features();
            int width = model.featureSize();
            Tensor x = backend.zeros(batch, in);
            float[] host = new float[batch * width];
            float[][] result = new float[n][width];
            for (int from = 0; from < n; from += batch) {
                int rows = Math.min(batch, n - from);
                Tensor xb = x.firstRows(rows);
                backend.upload(set.values(), from * in, xb);
                Tensor f = model.features(xb);
                assertEquals(rows, f.rows());
                assertEquals(width, f.cols());
                backend.download(f, host, 0);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(host, r * width, result[from + r], 0, width);
                }
            }
            return result;
        }
    }

    private static void assertRows(List<String> lines, int first, String split, Dataset set, int n, int width,
                                   float[][] expected) {
        for (int i = 0; i < n; i++) {
            String[] cells = lines.get(first + i).split(",", -1);
            assertEquals(3 + width, cells.length, "columns of row " + (first + i));
            assertEquals(split, cells[0]);
            assertEquals(i, Integer.parseInt(cells[1]));
            assertEquals(set.labels()[i], Integer.parseInt(cells[2]), "label of " + split + " sample " + i);
            float[] row = new float[width];
            for (int j = 0; j < width; j++) {
                row[j] = Float.parseFloat(cells[3 + j]);
            }
            // bit-identical: the text round-trips, and the features do not depend on the thread count
            assertArrayEquals(expected[i], row, 0f, split + " sample " + i);
        }
    }

    private static String header(int width) {
        StringBuilder b = new StringBuilder("split,index,label");
        for (int j = 0; j < width; j++) {
            b.append(",f").append(j);
        }
        return b.toString();
    }

    @Test
    void writesTheConcatenatedLatentsOfEveryCellForTheTestSplit() throws IOException {
        DataSplit data = mnist();
        Path model = train("uff.ckpt", "--model", "dae", "--cells", "2"); // head input 'all': 2 x 16 features
        Path csv = tmp.resolve("out/test.csv"); // the folder is created
        CliTest.Run r = embed(model, "--limit", "50", "--out", csv.toString(), "--progress", "lines");
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote 50 rows x 32 features to " + csv + "\n", r.out().replace("\r\n", "\n"));
        assertTrue(r.err().contains("embedded 50 test samples"), "progress on stderr: " + r.err());

        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + 50, lines.size());
        assertEquals(header(32), lines.get(0));
        assertRows(lines, 1, "test", data.test(), 50, 32, directFeatures(model, data.test(), 50));
        try (Stream<Path> files = Files.list(csv.getParent())) {
            assertEquals(List.of(csv), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void bothSplitsOfABpModelWithTheLastLayerAsHeadInput() throws IOException {
        DataSplit data = mnist();
        Path model = train("bp.ckpt", "--model", "bp", "--cells", "2", "--head-input", "last"); // 16 features
        Path csv = tmp.resolve("both.csv");
        Files.writeString(csv, "an older file, replaced");
        CliTest.Run r = embed(model, "--split", "both", "--limit", "20", "--out", csv.toString(), "--progress",
                "none");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote 40 rows x 16 features to "), r.out());
        assertEquals("", r.err());

        List<String> lines = Files.readAllLines(csv);
        assertEquals(1 + 40, lines.size());
        assertEquals(header(16), lines.get(0));
        assertRows(lines, 1, "train", data.train(), 20, 16, directFeatures(model, data.train(), 20));
        assertRows(lines, 21, "test", data.test(), 20, 16, directFeatures(model, data.test(), 20));
    }

    @Test
    void usageAndRuntimeErrorsAreOneLine() throws IOException {
        Path model = tmp.resolve("m.ckpt");
        Path csv = tmp.resolve("e.csv");
        assertOneLineError(run("embed", "--model-file", model.toString(), "--dataset", "mnist", "--out",
                csv.toString(), "--split", "valid"), 2, "--split must be test, train or both, got 'valid'");
        assertOneLineError(run("embed", "--model-file", model.toString(), "--dataset", "mnist", "--out",
                tmp.toString(), "--no-fetch"), 2, "--out", "is a folder; expected a file name");
        assertOneLineError(run("embed", "--model-file", model.toString(), "--dataset", "mnist"), 2, "--out");
        assertOneLineError(run("embed", "--model-file", model.toString(), "--dataset", "cifar", "--out",
                csv.toString()), 2, "unknown dataset 'cifar'");
        assertOneLineError(run("embed", "--model-file", model.toString(), "--dataset", "mnist", "--out",
                csv.toString(), "--limit", "0"), 2, "--limit must be at least 1, got 0");
        assertOneLineError(run("embed", "--model-file", model.toString(), "--dataset", "mnist", "--out",
                csv.toString(), "--no-fetch"), 1, "m.ckpt", "no such file");

        Files.writeString(model, "not a checkpoint at all, just some text long enough to pass the size check......");
        assertOneLineError(run("embed", "--model-file", model.toString(), "--dataset", "mnist", "--out",
                csv.toString(), "--no-fetch"), 1, "m.ckpt", "not a uff4j checkpoint");
        assertFalse(Files.exists(csv), "nothing is written on an error");
    }

    @Test
    void aLimitBeyondTheSplitIsAUsageError() {
        mnist();
        Path model = tmp.resolve("untrained.ckpt"); // an untrained model will do: the data is checked first
        try (CpuBackend backend = new CpuBackend(1)) {
            ModelCheckpoint.save(model, Models.create(backend, new ModelSpecBuilder(ModelKind.AE, 28 * 28, 10)
                    .hidden(16).build()), Map.of());
        }
        Path csv = tmp.resolve("l.csv");
        assertOneLineError(embed(model, "--split", "both", "--limit", "20000", "--out", csv.toString()), 2,
                "--limit must be in [1, 10000]", "test split", "got 20000");
        assertFalse(Files.exists(csv));
    }

    @Test
    void aFailureWhileWritingLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path csv = tmp.resolve("keep.csv");
        Files.writeString(csv, "the old content\n");
        OutputException e = assertThrows(OutputException.class, () -> EmbedCommand.writeAtomically(csv, w -> {
            w.write("split,index,label,f0\n".repeat(10_000)); // past the buffer: some of it reaches the disk
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains("keep.csv") && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("the old content\n", Files.readString(csv));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(csv), files.toList(), "the temporary file is deleted");
        }
    }

    @Test
    void helpListsEmbed() {
        CliTest.Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("embed"), r.out());
        CliTest.Run e = run("embed", "--help");
        assertEquals(0, e.code());
        assertTrue(e.out().contains("--split") && e.out().contains("--out"), e.out());
    }
}
