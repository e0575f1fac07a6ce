package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DatasetId;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The list of bad inputs and faults a hostile but realistic user found, run through the command line: each ends
 * with its exit code and one line on stderr that names what was wrong, and leaves no file behind. (A process
 * stopped by SIGTERM or SIGINT while writing needs a process of its own: {@code AtomicFileTest} holds that case.)
 * Every run uses {@code --backend cpu}, so that the one line is the only one.
 */
class BadInputTest {
    @TempDir
    Path tmp;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    private static String mnist() {
        RealData.load(DatasetId.MNIST); // skips (or fails under uff4j.requireData) when MNIST is absent
        return System.getProperty("uff4j.data");
    }

    /** Exit code, exactly one line on stderr, each fragment in it, no stack trace. */
    private static void assertOneLine(CliTest.Run r, int code, String... fragments) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        assertEquals(1, r.errLines().length, "one line on stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should contain '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception:"), "no stack trace or exception type");
    }

    private void assertNothingWritten() throws IOException {
        try (Stream<Path> files = Files.walk(tmp)) {
            List<Path> left = files.filter(p -> !p.equals(tmp)).filter(p -> !p.startsWith(tmp.resolve("data")))
                    .filter(p -> !p.startsWith(tmp.resolve("model"))).toList();
            assertEquals(List.of(), left, "no file left behind");
        }
    }

    /** 1. A model too large for the heap: its size against the heap's, before anything is allocated. */
    @Test
    void aModelLargerThanTheHeapIsOneLineBeforeAllocation() throws IOException {
        CliTest.Run r = run("train", "--data", mnist(), "--backend", "cpu", "--model", "ae", "--cells", "2",
                "--hidden", "25000", "--limit", "300", "--epochs", "1", "--progress", "none", "--save",
                tmp.resolve("big.ckpt").toString());
        assertOneLine(r, 1, "the ae model needs at least", "GiB", "free in the JVM heap", "UFF4J_JAVA_OPTS=-Xmx");
        assertNothingWritten();
    }

    /** 2. A 3 GB file where an IDX file belongs: its size is reported without reading it. */
    @Test
    void aHugeDataFileIsReportedBySizeWithoutBeingRead() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data/mnist"));
        for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.write(dir.resolve(f), new byte[8]);
        }
        Path images = dir.resolve("train-images-idx3-ubyte");
        try (RandomAccessFile f = new RandomAccessFile(images.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse
        }
        CliTest.Run r = run("train", "--data", tmp.resolve("data").toString(), "--no-fetch", "--backend", "cpu",
                "--progress", "none");
        assertOneLine(r, 1, images + ": is 3221225472 bytes, expected 47040016", "data fetch --dataset mnist");
    }

    /** 3. Sizes past what one tensor holds are a usage error, found before anything is allocated. */
    @Test
    void partsLargerThanATensorAreAUsageError() throws IOException {
        String data = mnist();
        CliTest.Run wide = run("train", "--data", data, "--backend", "cpu", "--cells", "2", "--hidden", "40000",
                "--limit", "300", "--epochs", "1", "--progress", "none");
        assertOneLine(wide, 2, "cell 2: a part with 3,200,080,000 parameters", "make it smaller");
        CliTest.Run widest = run("train", "--data", data, "--backend", "cpu", "--cells", "2", "--hidden", "65536",
                "--limit", "300", "--epochs", "1", "--progress", "none");
        assertOneLine(widest, 2, "cell 2: parameter encoder.weight of 65536 x 65536 values is not a tensor");
        assertNothingWritten();
    }

    /** 4. A diverging run stops with exit code 3, names the part and the epoch, and saves nothing. */
    @Test
    void aDivergedRunStopsWithExitCodeThreeAndSavesNothing() throws IOException {
        CliTest.Run r = run("train", "--data", mnist(), "--backend", "cpu", "--model", "ae", "--lr", "1e30",
                "--limit", "300", "--epochs", "1", "--progress", "none", "--save", tmp.resolve("d.ckpt").toString(),
                "--report", tmp.resolve("d.json").toString());
        assertOneLine(r, Main.DIVERGED, "training diverged: cell1's loss became NaN or infinite in epoch 1",
                "lower the learning rate (--lr, now 1.0E30)", "nothing was saved");
        assertTrue(r.out().startsWith("uff4j "), "the start line is printed: " + r.out());
        assertFalse(r.out().contains("test accuracy"), "no accuracy of a diverged run: " + r.out());
        assertNothingWritten();
    }

    /** 4. A checkpoint with NaN weights still evaluates, with a warning that says what it is. */
    @Test
    void evalWarnsAboutNonFiniteWeights() throws IOException {
        String data = mnist();
        Path file = tmp.resolve("model/nan.ckpt");
        try (Backend backend = new CpuBackend(2)) {
            Model model = Models.create(backend, new ModelSpecBuilder(ModelKind.AE, 784, 10).hidden(16).build());
            ParameterSet cell = model.parameterGroups().get("cell1");
            float[] w = cell.readAll();
            Arrays.fill(w, 0, 20, Float.NaN);
            cell.writeAll(w);
            ModelCheckpoint.save(file, model, Map.of("dataset", "mnist"));
        }
        CliTest.Run r = run("eval", "--model-file", file.toString(), "--dataset", "mnist", "--data", data,
                "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertOneLine(r, 0, "uff4j eval: warning: " + file + " holds 20 weights that are NaN or infinite (in "
                + "cell1/encoder.weight)", "diverged run");
        assertTrue(r.out().contains("test accuracy: "), r.out());
    }

    /** 5. Unwritable outputs are usage errors before any data is loaded, naming the path asked for. */
    @Test
    void unwritableOutputsAreFoundBeforeTrainingAndNameTheTarget() throws IOException {
        if (Files.isDirectory(Path.of("/proc/self"))) {
            CliTest.Run proc = run("train", "--data", tmp.resolve("nothing").toString(), "--no-fetch", "--save",
                    "/proc/x.ckpt");
            assertOneLine(proc, 2, "--save /proc/x.ckpt: cannot write it:");
            assertFalse(proc.err().contains(".tmp-"), "never the temporary file: " + proc.err());
        }
        Path longName = tmp.resolve("r".repeat(5000) + ".json");
        CliTest.Run tooLong = run("train", "--data", tmp.resolve("nothing").toString(), "--no-fetch", "--report",
                longName.toString());
        assertOneLine(tooLong, 2, "--report ", "(a path of " + longName.toString().length() + " characters)",
                "cannot write it: file name too long");
        Path blocker = Files.writeString(tmp.resolve("blocker"), "x");
        CliTest.Run embed = run("embed", "--model-file", tmp.resolve("none.ckpt").toString(), "--dataset", "mnist",
                "--out", blocker.resolve("f.csv").toString());
        assertOneLine(embed, 2, "--out " + blocker.resolve("f.csv") + ": cannot write it: " + blocker
                + " is not a folder");
        Files.delete(blocker);
        assertNothingWritten();
    }

    /** Minor: a model evaluated on a dataset whose samples it cannot read, before the data is loaded. */
    @Test
    void aModelOnTheWrongDatasetIsOneLineWithoutAnExceptionType() throws IOException {
        Path file = tmp.resolve("model/mnist.ckpt");
        try (Backend backend = new CpuBackend(1)) {
            ModelCheckpoint.save(file, Models.create(backend, new ModelSpecBuilder(ModelKind.AE, 784, 10).hidden(8)
                    .build()), Map.of("dataset", "mnist"));
        }
        CliTest.Run r = run("eval", "--model-file", file.toString(), "--dataset", "cifar10", "--data",
                tmp.resolve("nothing").toString(), "--backend", "cpu");
        assertOneLine(r, 1, file + ": the model takes 784 inputs and predicts 10 classes, but cifar10 samples have "
                + "3072 values and 10 classes");
    }
}
