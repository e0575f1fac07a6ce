package dev.uff4j.cli;

import dev.uff4j.data.DataFetcher;
import dev.uff4j.data.DatasetId;
import dev.uff4j.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command-line contract: exit codes, one-line errors, stdout vs stderr, reports, save and eval. */
class CliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
        /** The error output without the JVM's incubator warning, as lines. */
        String[] errLines() {
            return err.lines().filter(l -> !l.isBlank()).toArray(String[]::new);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertOneLineError(Run r, int code, String... fragments) {
        assertEquals(code, r.code(), "exit code; stderr: " + r.err());
        assertEquals(1, r.errLines().length, "exactly one line on stderr: " + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr should contain '" + f + "': " + r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    private static String realData() {
        RealData.load(DatasetId.MNIST); // skips (or fails under uff4j.requireData) when MNIST is absent
        return System.getProperty("uff4j.data");
    }

    @Test
    void infoPrintsVersionBackendsAndThreads() {
        Run r = run("info");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("uff4j "), r.out());
        assertTrue(r.out().contains("cpu: available"), r.out());
        assertTrue(r.out().contains("threads: " + Runtime.getRuntime().availableProcessors()), r.out());
    }

    @Test
    void usageErrorsExitWithTwoAndOneLine() {
        assertOneLineError(run("train", "--bogus"), 2, "Unknown option: '--bogus'");
        assertOneLineError(run("train", "--model", "svm", "--no-fetch"), 2, "unknown model 'svm'");
        assertOneLineError(run("train", "--dataset", "cifar", "--no-fetch"), 2, "unknown dataset 'cifar'");
        assertOneLineError(run("train", "--epochs", "0"), 2, "--epochs must be in [1, 100000], got 0");
        assertOneLineError(run("train", "--epochs", "ten"), 2, "'ten' is not an int");
        assertOneLineError(run("train", "--backend", "tpu", "--data", tmp.toString(), "--no-fetch"), 2,
                "unknown backend 'tpu'");
        assertOneLineError(run("eval", "--dataset", "mnist"), 2, "--model-file");
        assertOneLineError(run(), 2, "missing command");
        assertOneLineError(run("train", "--model", "ae", "--noise-std", "0.1"), 2, "apply to dae cells only");
        assertOneLineError(run("train", "--model", "ae", "--cells", "ae:50,ae:20", "--mask-prob", "0.2"), 2,
                "apply to dae cells only");
        assertOneLineError(run("train", "--model", "cae", "--shift", "28", "--no-fetch"), 2,
                "shift must be in [0, image width)");
        assertOneLineError(run("train", "--report", tmp.toString(), "--no-fetch"), 2, "--report", "is a folder; expected a file name");
    }

    @Test
    void cifar10CannotBeFetchedAndEachCommandSaysWhereToPutItsFiles() {
        String data = tmp.toString();
        String cifar = tmp.resolve("cifar10").toString();
        Run info = run("info", "--data", data);
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("  cifar10: missing (put the CIFAR-10 binary files in " + cifar + "/ or "
                + cifar + "/cifar-10-batches-bin/)"), info.out());
        assertTrue(info.out().contains("  mnist: missing (bin/uff4j data fetch --dataset mnist)"), info.out());

        assertOneLineError(run("data", "fetch", "--dataset", "cifar10", "--data", data), 1,
                "uff4j data fetch: cifar10 cannot be fetched on this machine", "test_batch.bin in " + cifar + "/");
        assertOneLineError(run("train", "--dataset", "CIFAR-10", "--data", data, "--progress", "none"), 1,
                "uff4j train: cifar10 cannot be fetched on this machine", "test_batch.bin in " + cifar + "/");
        assertOneLineError(run("train", "--dataset", "cifar10", "--data", data, "--no-fetch", "--progress", "none"),
                1, "cifar10 cannot be fetched on this machine");
    }

    @Test
    void fetchingAllSkipsCifar10WhenItsFilesAreNotThere() {
        Path data = Path.of(realData());
        org.junit.jupiter.api.Assumptions.assumeTrue(DataFetcher.isPresent(DatasetId.FASHION_MNIST, data)
                && !DataFetcher.isPresent(DatasetId.CIFAR10, data), "needs Fashion-MNIST and no CIFAR-10 in " + data);
        Run r = run("data", "fetch", "--data", data.toString()); // everything else is present: nothing is fetched
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mnist: ready in "), r.out());
        assertTrue(r.out().contains("fashion-mnist: ready in "), r.out());
        assertTrue(r.out().contains("cifar10: skipped, it cannot be fetched on this machine: download the CIFAR-10 "
                + "binary version"), r.out());
    }

    @Test
    void invalidModelCombinationsAreUsageErrors() {
        String data = realData();
        assertOneLineError(run("train", "--data", data, "--hidden", "10", "--top-k", "20", "--progress", "none"), 2,
                "top-k 20 exceeds");
        assertOneLineError(run("train", "--data", data, "--limit", "0", "--progress", "none"), 2,
                "--limit must be in [1, 60000], got 0");
        assertOneLineError(run("train", "--data", data, "--model", "dae", "--mask-prob", "1.5", "--progress", "none"),
                2, "masking probability must be in [0, 1)");
    }

    @Test
    void missingOrDamagedDataIsARuntimeErrorNamingTheFile() throws IOException {
        Run missing = run("train", "--data", tmp.toString(), "--no-fetch", "--progress", "none");
        assertOneLineError(missing, 1, "train-images-idx3-ubyte", "missing");

        Path mnist = Files.createDirectories(tmp.resolve("mnist"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.write(mnist.resolve(f), new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
        }
        Run damaged = run("train", "--data", tmp.toString(), "--no-fetch", "--progress", "none");
        assertOneLineError(damaged, 1, "train-images-idx3-ubyte", "is 8 bytes, expected 47040016");
        Run verbose = run("train", "--data", tmp.toString(), "--no-fetch", "--progress", "none", "--verbose");
        assertEquals(1, verbose.code());
        assertTrue(verbose.err().contains("\tat "), "--verbose prints the stack trace");
    }

    @Test
    void trainSaveEvalReproducesTheAccuracyAndWritesTheReportFields() throws IOException {
        String data = realData();
        Path model = tmp.resolve("m.ckpt");
        Path report = tmp.resolve("r.json");
        Path evalReport = tmp.resolve("e.json");
        Run train = run("train", "--data", data, "--model", "dae", "--limit", "600", "--epochs", "2", "--hidden", "64",
                "--top-k", "16", "--threads", "2", "--progress", "lines", "--save", model.toString(), "--report",
                report.toString());
        assertEquals(0, train.code(), train.err());
        Matcher m = Pattern.compile("test accuracy: ([0-9.]+)%").matcher(train.out());
        assertTrue(m.find(), train.out());
        String accuracy = m.group(1);
        assertTrue(train.err().contains("epoch 2:"), "per-epoch progress goes to stderr: " + train.err());
        assertFalse(train.out().contains("epoch 2:"), "stdout holds results only");

        String json = Files.readString(report);
        for (String field : new String[] {"\"model\": \"dae\"", "\"dataset\": \"mnist\"", "\"backend\": \"cpu\"",
                "\"threads\": 2", "\"epochs\": 2", "\"train_samples\": 600", "\"test_accuracy\": 0.",
                "\"train_seconds\": ", "\"train_samples_per_second\": ", "\"epochs_detail\": [", "\"cell_losses\": [",
                "\"head_loss\": ", "\"seconds\": "}) {
            assertTrue(json.contains(field), "report has " + field + ":\n" + json);
        }

        Run eval = run("eval", "--data", data, "--model-file", model.toString(), "--dataset", "mnist", "--threads",
                "1", "--report", evalReport.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("test accuracy: " + accuracy + "%"),
                "eval reproduces " + accuracy + "%: " + eval.out());
        assertTrue(Files.readString(evalReport).contains("\"test_accuracy\": 0."));
    }

    @Test
    void caeOnMnistTrainsWithTheDatasetsDefaultsUnlessAnOptionSetsThem() throws IOException {
        String data = realData();
        Path report = tmp.resolve("cae.json");
        Run train = run("train", "--data", data, "--model", "cae", "--limit", "128", "--epochs", "1", "--threads", "2",
                "--progress", "none", "--report", report.toString());
        assertEquals(0, train.code(), train.err());
        String json = Files.readString(report);
        for (String field : new String[] {"\"shift\": \"1\"", "\"lifetime_sparsity\": \"0.02\"",
                "\"head_hidden\": \"0\"", "\"head_input\": \"all\""}) {
            assertTrue(json.contains(field), "MNIST's cae default " + field + ":\n" + json);
        }
        Run set = run("train", "--data", data, "--model", "cae", "--limit", "128", "--epochs", "1", "--threads", "2",
                "--progress", "none", "--shift", "0", "--lifetime-sparsity", "0.05", "--report", report.toString());
        assertEquals(0, set.code(), set.err());
        json = Files.readString(report);
        assertTrue(json.contains("\"shift\": \"0\"") && json.contains("\"lifetime_sparsity\": \"0.05\""), json);
        assertTrue(json.contains("\"mirror\": \"false\""), json);
        Run mirrored = run("train", "--data", data, "--model", "cae", "--limit", "128", "--epochs", "1", "--threads",
                "2", "--progress", "none", "--mirror", "--report", report.toString());
        assertEquals(0, mirrored.code(), mirrored.err());
        assertTrue(Files.readString(report).contains("\"mirror\": \"true\""), Files.readString(report));
    }

    @Test
    void daeOnFashionMnistHasItsWeightDecayUnlessAnOptionSetsIt() throws IOException {
        RealData.load(DatasetId.FASHION_MNIST); // skips (or fails under uff4j.requireData) when it is absent
        String data = System.getProperty("uff4j.data");
        Path report = tmp.resolve("fashion.json");
        String[][] cases = {{}, {"--lr", "0.001"}, {"--weight-decay", "0.02"}};
        String[] expected = {"\"weight_decay\": \"0.1\"", "\"weight_decay\": \"0.1\"", "\"weight_decay\": \"0.02\""};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("train", "--data", data, "--dataset", "fashion-mnist", "--limit",
                    "128", "--epochs", "1", "--threads", "1", "--progress", "none", "--report", report.toString()));
            args.addAll(List.of(cases[i]));
            Run train = run(args.toArray(String[]::new));
            assertEquals(0, train.code(), train.err());
            String json = Files.readString(report);
            assertTrue(json.contains(expected[i]), String.join(" ", cases[i]) + ": " + expected[i] + "\n" + json);
        }
        assertTrue(Files.readString(report).contains("\"lr\": \"0.003\""), "--weight-decay keeps the default rate");
    }

    @Test
    void ganOnFashionMnistHasItsWideDiscriminatorUnlessHiddenIsGiven() throws IOException {
        RealData.load(DatasetId.FASHION_MNIST); // skips (or fails under uff4j.requireData) when it is absent
        String data = System.getProperty("uff4j.data");
        Path report = tmp.resolve("gan.json");
        String[][] cases = {{}, {"--hidden", "300"}};
        String[] expected = {"\"hidden\": \"8000\"", "\"hidden\": \"300\""};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("train", "--data", data, "--model", "gan", "--dataset",
                    "fashion-mnist", "--limit", "128", "--epochs", "1", "--threads", "1", "--progress", "none",
                    "--report", report.toString()));
            args.addAll(List.of(cases[i]));
            Run train = run(args.toArray(String[]::new));
            assertEquals(0, train.code(), train.err());
            String json = Files.readString(report);
            assertTrue(json.contains(expected[i]), String.join(" ", cases[i]) + ": " + expected[i] + "\n" + json);
        }
    }

    @Test
    void aCorruptedCheckpointIsARuntimeError() throws IOException {
        Path bad = tmp.resolve("bad.ckpt");
        Files.writeString(bad, "not a checkpoint at all, just some text long enough to pass the size check......");
        assertOneLineError(run("eval", "--model-file", bad.toString(), "--dataset", "mnist", "--no-fetch"), 1,
                "bad.ckpt", "not a uff4j checkpoint");
        assertOneLineError(run("eval", "--model-file", tmp.resolve("none.ckpt").toString(), "--dataset", "mnist"), 1,
                "none.ckpt");
    }
}
