package dev.uff4j.cli;

import dev.uff4j.checkpoint.Checkpoint;
import dev.uff4j.checkpoint.CheckpointFile;
import dev.uff4j.checkpoint.NamedTensor;
import dev.uff4j.data.DatasetId;
import dev.uff4j.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --save-every} then {@code train --resume}: a run killed (SIGKILL, a separate JVM) after a checkpoint
 * and resumed ends bit for bit as the same run never interrupted, report figures included; a checkpoint that does
 * not match the command, or holds no training state, is a usage error naming the mismatch.
 */
class ResumeCommandTest {
    @TempDir
    Path tmp;

    private static String data() {
        RealData.load(DatasetId.MNIST);
        return System.getProperty("uff4j.data");
    }

    /** The run: 3 epochs of 8000 MNIST digits, long enough (a second an epoch) to be killed in the middle. */
    private List<String> run(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "mnist", "--data", data(), "--limit",
                "8000", "--epochs", "3", "--hidden", "300", "--seed", "4", "--backend", "cpu", "--threads", "2",
                "--progress", "none", "--save", tmp.resolve(name + ".uff").toString(), "--save-every", "1"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void aKilledRunResumedEndsAsTheRunNeverInterrupted() throws Exception {
        Path whole = tmp.resolve("whole.uff");
        CliTest.Run a = CliTest.run(run("whole", "--report", tmp.resolve("whole.json").toString())
                .toArray(String[]::new));
        assertEquals(0, a.code(), a.err());

        Path cut = tmp.resolve("cut.uff");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(run("cut"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("cut.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(cut) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        p.destroyForcibly(); // SIGKILL: no shutdown hook, no last save
        p.waitFor(30, TimeUnit.SECONDS);
        Checkpoint atKill = CheckpointFile.read(cut);
        assertEquals("1", atKill.config().get("run.epochs_done"), "killed after the first epoch's checkpoint: "
                + Files.readString(tmp.resolve("cut.log")));

        CliTest.Run b = CliTest.run("train", "--resume", cut.toString(), "--data", data(), "--backend", "cpu",
                "--threads", "1", "--progress", "none", "--save", cut.toString(), "--save-every", "1", "--report",
                tmp.resolve("cut.json").toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("resuming " + cut + " after 1 of 3 epochs"), b.out());
        assertEquals(lastLines(a.out()), lastLines(b.out()), "the same test accuracy is printed");

        Checkpoint x = CheckpointFile.read(whole);
        Checkpoint y = CheckpointFile.read(cut);
        assertEquals(x.tensors().size(), y.tensors().size());
        for (NamedTensor t : x.tensors()) {
            assertArrayEquals(t.data(), y.tensor(t.name()).data(), t.name());
        }
        for (int e = 0; e < 3; e++) {
            String key = "run.history." + e;
            assertEquals(figures(x.config().get(key)), figures(y.config().get(key)), key);
        }
        assertEquals(figures(Files.readString(tmp.resolve("whole.json"))),
                figures(Files.readString(tmp.resolve("cut.json"))), "the report's accuracies and losses");
    }

    /** The accuracy line (times differ between runs). */
    private static String lastLines(String out) {
        return out.lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElse("none");
    }

    /** An epoch's record or a report without its times: the fields that must be equal. */
    private static String figures(String s) throws IOException {
        if (s.startsWith("{")) {
            return s.replaceAll("\"(seconds|eval_seconds|train_seconds|train_samples_per_second|backend_description"
                    + "|threads|model_file)\": (\"[^\"]*\"|[^,\\n}]*)", "");
        }
        String[] f = s.split("\\|");
        return f[0] + "|" + f[1] + "|" + f[2] + "|" + f[3] + "|" + f[4] + "|" + f[7];
    }

    @Test
    void aCheckpointThatDoesNotMatchTheCommandIsAUsageErrorNamingTheMismatch() {
        Path file = tmp.resolve("small.uff");
        CliTest.Run a = CliTest.run("train", "--dataset", "mnist", "--data", data(), "--limit", "500", "--epochs",
                "2", "--hidden", "20", "--progress", "none", "--save", file.toString(), "--save-every", "2");
        assertEquals(0, a.code(), a.err());
        CliTest.Run r = CliTest.run("train", "--resume", file.toString(), "--data", data(), "--hidden", "30",
                "--epochs", "3", "--progress", "none");
        assertEquals(Main.USAGE_ERROR, r.code(), r.err());
        assertTrue(r.err().contains("--resume " + file + ": the checkpoint's run differs from this command's: "
                + "epochs 2 (checkpoint) vs 3 (command); hidden 20 (checkpoint) vs 30 (command)"), r.err());

        Path plain = tmp.resolve("plain.uff");
        assertEquals(0, CliTest.run("train", "--dataset", "mnist", "--data", data(), "--limit", "500", "--epochs",
                "1", "--hidden", "20", "--progress", "none", "--save", plain.toString()).code());
        CliTest.Run p = CliTest.run("train", "--resume", plain.toString(), "--data", data(), "--progress", "none");
        assertEquals(Main.USAGE_ERROR, p.code());
        assertTrue(p.err().contains("holds no training state"), p.err());
        CliTest.Run n = CliTest.run("train", "--save-every", "2", "--data", data());
        assertTrue(n.err().contains("--save-every needs --save FILE"), n.err());
    }
}
