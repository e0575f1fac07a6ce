package dev.uff4j.cli;

import dev.uff4j.data.DatasetId;
import dev.uff4j.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code pipeline} and {@code federated} on the built-in local engines, their reports, and a missing engine. */
class DistributedCommandsTest {
    @TempDir
    Path tmp;

    private static String data() {
        RealData.load(DatasetId.MNIST);
        return System.getProperty("uff4j.data");
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("none: " + out);
    }

    @Test
    void theLocalPipelineTrainsWhatTrainTrains() throws IOException {
        List<String> model = List.of("--dataset", "mnist", "--data", data(), "--limit", "1500", "--epochs", "2",
                "--cells", "2", "--hidden", "40", "--seed", "8", "--progress", "none", "--backend", "cpu");
        CliTest.Run t = CliTest.run(concat(List.of("train", "--schedule", "pipelined"), model));
        assertEquals(0, t.code(), t.err());
        Path report = tmp.resolve("p.json");
        CliTest.Run p = CliTest.run(concat(List.of("pipeline", "--engine", "local", "--report", report.toString()),
                model));
        assertEquals(0, p.code(), p.err());
        assertEquals(line(t.out(), "test accuracy"), line(p.out(), "test accuracy"),
                "the same model, so the same accuracy to the last digit");
        String json = Files.readString(report);
        assertTrue(json.contains("\"command\": \"pipeline\"") && json.contains("\"engine\": \"local\"")
                && json.contains("\"cells\": 2"), json);
    }

    @Test
    void federatedRoundsAreReportedAndResumeFromTheirCheckpoint() throws IOException {
        Path checkpoint = tmp.resolve("fed.uff");
        List<String> run = List.of("federated", "--engine", "local", "--dataset", "mnist", "--data", data(),
                "--limit", "2000", "--hidden", "40", "--seed", "2", "--progress", "none",
                "--checkpoint", checkpoint.toString());
        CliTest.Run one = CliTest.run(concat(run, List.of("--rounds", "1", "--clients", "4")));
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("round 1: test "), one.out());
        Path report = tmp.resolve("f.json");
        CliTest.Run two = CliTest.run(concat(run, List.of("--rounds", "2", "--clients", "4", "--report",
                report.toString())));
        assertEquals(0, two.code(), two.err());
        assertTrue(!two.out().contains("round 1:") && two.out().contains("round 2: test "), two.out());
        String json = Files.readString(report);
        assertTrue(json.contains("\"rounds_detail\"") && json.contains("\"bytes_up_per_client\"")
                && json.contains("\"split\": \"iid\""), json);
        CliTest.Run other = CliTest.run(concat(run, List.of("--rounds", "3", "--clients", "5")));
        assertEquals(Main.USAGE_ERROR, other.code());
        assertTrue(other.err().contains("federated.clients 4 (checkpoint) vs 5 (this run)"), other.err());
    }

    @Test
    void anEngineThatIsNotThereIsOneLineNamingTheModule() {
        CliTest.Run r = CliTest.run("federated", "--engine", "spark", "--no-fetch", "--data", tmp.toString());
        assertEquals(Main.USAGE_ERROR, r.code());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("the spark federated engine is not on the class path: add dev.uff4j:uff4j-spark"),
                r.err());
        CliTest.Run p = CliTest.run("pipeline", "--model", "bp", "--no-fetch", "--data", tmp.toString());
        assertEquals(Main.USAGE_ERROR, p.code());
        assertTrue(p.err().contains("a layer pipeline trains the cells of a UFF model"), p.err());
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }
}
