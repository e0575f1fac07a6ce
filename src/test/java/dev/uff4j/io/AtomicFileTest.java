package dev.uff4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Files written whole or not at all: a write replaces the old file only when complete; a failed write, and a process
 * stopped by SIGTERM or SIGINT in the middle of one, leave the old file and no temporary file; an unwritable target
 * is found before any work, with a message that names it and not a temporary file.
 */
class AtomicFileTest {
    @TempDir
    Path dir;

    private static void text(Path file, String s) {
        AtomicFile.write(file, channel -> channel.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8))));
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.equals(dir)).sorted().toList();
        }
    }

    @Test
    void aWriteReplacesTheFileWholeAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("sub/report.json");
        text(file, "one");
        text(file, "two");
        assertEquals("two", Files.readString(file));
        assertEquals(List.of(dir.resolve("sub"), file), listing(), "the folder was made; no temporary file stays");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.ckpt");
        text(file, "old");
        OutputException e = assertThrows(OutputException.class, () -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.allocate(1 << 20));
            throw new IOException("No space left on device");
        }));
        assertEquals(file + ": cannot write it: IOException: No space left on device", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), listing());
    }

    @Test
    void unwritableTargetsAreFoundBeforeAnyWorkAndNamedInTheMessage() throws IOException {
        OutputException folder = assertThrows(OutputException.class, () -> AtomicFile.checkWritable(dir));
        assertEquals(dir + ": is a folder; expected a file name", folder.getMessage());

        Path blocker = Files.writeString(dir.resolve("blocker"), "x");
        OutputException parent = assertThrows(OutputException.class,
                () -> AtomicFile.checkWritable(blocker.resolve("deeper/model.ckpt")));
        assertEquals(blocker.resolve("deeper/model.ckpt") + ": cannot write it: " + blocker + " is not a folder",
                parent.getMessage());

        String name = "n".repeat(5000) + ".ckpt";
        OutputException tooLong = assertThrows(OutputException.class,
                () -> AtomicFile.checkWritable(dir.resolve(name)));
        assertTrue(tooLong.getMessage().endsWith("(a path of " + dir.resolve(name).toString().length()
                + " characters): cannot write it: file name too long"), tooLong.getMessage());
        assertTrue(tooLong.getMessage().length() < 300, "one readable line: " + tooLong.getMessage());
        assertFalse(tooLong.getMessage().contains(".tmp-"), "never the temporary file's name");

        AtomicFile.checkWritable(dir.resolve("missing/folders/model.ckpt"));
        assertEquals(List.of(blocker), listing(), "the checks create nothing that stays, not even folders");
    }

    @Test
    void aFolderWhereNoFileCanBeCreatedIsReportedWithTheReason() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX");
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(locked), "folder permissions are not enforced for this user (root?)");
            OutputException e = assertThrows(OutputException.class,
                    () -> AtomicFile.checkWritable(locked.resolve("model.ckpt")));
            assertEquals(locked.resolve("model.ckpt") + ": cannot write it: permission denied", e.getMessage());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFileSystemThatRefusesNewFilesIsReported() {
        Path proc = Path.of("/proc");
        assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux's /proc");
        OutputException e = assertThrows(OutputException.class,
                () -> AtomicFile.checkWritable(proc.resolve("x.ckpt")));
        assertTrue(e.getMessage().startsWith("/proc/x.ckpt: cannot write it: "), e.getMessage());
        assertFalse(e.getMessage().contains(".tmp-"), e.getMessage());
    }

    @Test
    void theShutdownHookDeletesWhatIsStillRegistered() throws IOException {
        Path file = Files.writeString(dir.resolve("x.tmp-1"), "partial");
        Path tree = Files.createDirectories(dir.resolve("unpacked/deep"));
        Files.writeString(tree.resolve("f"), "x");
        Path kept = Files.writeString(dir.resolve("kept"), "x");
        TempFiles.register(file);
        TempFiles.register(dir.resolve("unpacked"));
        TempFiles.register(kept);
        TempFiles.release(kept);
        assertTrue(TempFiles.isRegistered(file));
        TempFiles.deleteAll();
        assertEquals(List.of(kept), listing());
        assertFalse(TempFiles.isRegistered(file));
    }

    @Test
    void aProcessStoppedBySigtermWhileWritingLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        stopInTheMiddleOfAWrite("TERM", 15);
    }

    @Test
    void aProcessStoppedBySigintWhileWritingLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        stopInTheMiddleOfAWrite("INT", 2);
    }

    /**
     * Whether this process ignores signal {@code number} (Linux's /proc/self/status; false where it cannot tell). A
     * child inherits an ignored signal, and a JVM installs no handler for one, so such a child would not stop.
     */
    private static boolean ignored(int number) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                return (mask >>> (number - 1) & 1) != 0;
            }
        }
        return false;
    }

    /** Runs {@link SlowWrite} in its own JVM, sends it {@code signal} once it is writing, and checks what is left. */
    private void stopInTheMiddleOfAWrite(String signal, int number) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill")),
                "needs kill(1) to send " + signal);
        assumeFalse(ignored(number), "SIG" + signal + " is ignored by this process (as in a job that a shell started "
                + "in the background), and a child JVM inherits that, so it would not stop");
        Path file = dir.resolve("model.ckpt");
        text(file, "the previous model");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWrite.class.getName(),
                file.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertEquals("writing", line, "the child reached the middle of its write");
            List<Path> during = listing();
            assertEquals(2, during.size(), "the old file and one temporary file while writing: " + during);
            assertTrue(during.get(1).getFileName().toString().startsWith("model.ckpt.tmp-"), during.toString());
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -" + signal);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the child stopped");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of(file), listing(), "no temporary file left");
        assertEquals("the previous model", Files.readString(file));
    }
}
