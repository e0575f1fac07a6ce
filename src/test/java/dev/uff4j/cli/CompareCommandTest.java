package dev.uff4j.cli;

import dev.uff4j.data.DatasetId;
import dev.uff4j.testing.RealData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code uff4j compare}: its outputs on a small real run, and its usage errors. */
class CompareCommandTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static int run(StringWriter out, StringWriter err, String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void writesTheTableTheJsonAndBothPlots(@TempDir Path dir) throws IOException {
        RealData.load(DatasetId.MNIST); // skips (or fails under uff4j.requireData) without MNIST
        Path outDir = dir.resolve("cmp");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "compare", "--dataset", "mnist", "--data", System.getProperty("uff4j.data"),
                "--no-fetch", "--models", "ae,bp", "--epochs", "2", "--limit", "600", "--backend", "cpu",
                "--threads", "2", "--progress", "none", "--out", outDir.toString());
        assertEquals(0, code, err.toString());
        String md = Files.readString(outDir.resolve("results.md"));
        assertTrue(md.contains("| model | test accuracy | raw head | probe | train time | samples/s | peak heap |"), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| ae | ")), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| bp | ")), md);
        assertTrue(md.contains("bin/uff4j train --model ae --dataset mnist --epochs 2 --limit 600 --seed 1 --baselines"),
                md);
        String json = Files.readString(outDir.resolve("results.json"));
        assertTrue(json.contains("\"test_accuracy_per_epoch\""), json);
        for (String png : new String[] {"accuracy.png", "reconstructions.png"}) {
            byte[] head = new byte[8];
            System.arraycopy(Files.readAllBytes(outDir.resolve(png)), 0, head, 0, 8);
            assertArrayEquals(PNG, head, png + " is a PNG");
        }
        assertTrue(out.toString().contains("wrote " + outDir.resolve("results.md")), out.toString());
        // reports get the permissions of any new file (the umask's), not a temporary file's owner-only ones
        java.util.Set<java.nio.file.attribute.PosixFilePermission> usual =
                Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
        for (String f : new String[] {"results.md", "results.json"}) {
            assertEquals(usual, Files.getPosixFilePermissions(outDir.resolve(f)), f);
        }
        try (var files = Files.list(outDir)) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(f -> f.contains(".tmp"))
                    .toList(), "no temporary file is left behind");
        }
    }

    @Test
    void unknownModelsAndAFileAsOutputAreUsageErrors(@TempDir Path dir) throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new StringWriter(), err, "compare", "--models", "ae,resnet"));
        assertTrue(err.toString().contains("unknown model 'resnet'"), err.toString());
        Path file = Files.writeString(dir.resolve("f"), "x");
        err.getBuffer().setLength(0);
        assertEquals(2, run(new StringWriter(), err, "compare", "--models", "ae", "--out", file.toString()));
        assertTrue(err.toString().contains("is a file; give a folder"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run(new StringWriter(), err, "compare", "--models", "ae,ae"));
        assertTrue(err.toString().contains("names ae twice"), err.toString());
    }
}
