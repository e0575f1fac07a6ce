package dev.uff4j.flink;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.checkpoint.TrainingCheckpoint;
import dev.uff4j.data.DatasetId;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job jar's main class, run outside a cluster (it then starts a local MiniCluster), and the option parsing. */
class FlinkPipelineJobTest {
    @Test
    void mainTrainsWritesTheModelAndPrintsItsAccuracy(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("model.uff");
        String[] args = {"--dataset", "mnist", "--data", Fixtures.dataDir().toString(), "--limit",
                Integer.toString(Fixtures.SAMPLES), "--epochs", Integer.toString(Fixtures.EPOCHS), "--model", "dae",
                "--cells", "2", "--hidden", "64", "--batch", "64", "--seed", "3", "--set", "head_input=last",
                "--engine-option", "checkpoint-interval-ms=300", "--output", output.toString()};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            FlinkPipelineJob.main(args);
        } finally {
            System.setOut(saved);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertTrue(printed.contains("test accuracy"), printed);
        assertTrue(Files.size(output) > 0, "the model file");
        ModelSpec spec = FlinkPipelineJob.spec(DatasetId.MNIST, Map.of("model", "dae", "cells", "2", "hidden", "64",
                "batch", "64", "seed", "3"), Map.of("head_input", "last"));
        assertEquals("last", spec.toConfig().get("head_input"));
        // the head reads the last cell only (the other tests: every cell side by side): still the pipelined model
        try (Backend backend = BackendFactory.open(BackendOptions.cpu(), line -> { })) {
            ModelCheckpoint.Loaded loaded = TrainingCheckpoint.loadState(output, backend);
            try (Model model = loaded.model()) {
                Fixtures.assertBitIdentical(Fixtures.reference(spec), FederatedAveraging.parts(model));
            }
        }
    }

    @Test
    void optionsAreCheckedAndDefaulted() {
        FlinkOptions o = FlinkOptions.parse(Map.of("threads", "8"));
        assertEquals(500, o.checkpointIntervalMs());
        assertEquals(1, o.taskManagers());
        assertEquals(4, o.slotsPerTaskManager(4));
        assertEquals(2, FlinkOptions.parse(Map.of("taskmanagers", "2")).slotsPerTaskManager(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FlinkOptions.parse(Map.of("checkpoint-interval", "5")));
        assertTrue(e.getMessage().contains("checkpoint-interval-ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FlinkOptions.parse(Map.of("jobmanager", "nohost")));
        assertThrows(IllegalArgumentException.class, () -> FlinkOptions.parse(Map.of("slots", "x")));
    }
}
