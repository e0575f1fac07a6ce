package dev.uff4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Files written whole or not at all: checkpoints, reports, CSV files and plots. The bytes go to a temporary file
 * {@code <name>.tmp-<random>} beside the target, which is synced and then renamed over it, so a reader never sees
 * half a file and an earlier file survives a failed write. On any failure, and when the JVM is stopped while writing
 * ({@link TempFiles}), the temporary file is deleted. Errors name the target, never the temporary file.
 */
public final class AtomicFile {
    /** Paths longer than this are shortened in messages, which stay one readable line. */
    static final int MESSAGE_PATH_LIMIT = 160;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    /** Writes a file's content to an open channel. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    /**
     * Writes {@code target} atomically, creating missing parent folders.
     *
     * @throws OutputException when it cannot be written: the message names {@code target} and the reason
     */
    public static void write(Path target, Content content) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        if (dir == null || file.getFileName() == null) {
            throw new OutputException(describe(target) + ": not a file path", null);
        }
        if (Files.isDirectory(file)) {
            throw new OutputException(describe(target) + ": is a folder; expected a file name", null);
        }
        createFolder(target, dir);
        Path temp = tempFor(file);
        TempFiles.register(temp);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                content.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new OutputException(describe(target) + ": cannot write it: " + reason(e), e);
        } finally {
            try {
                Files.deleteIfExists(temp); // gone already when the rename succeeded
            } catch (IOException ignored) {
                // the failure to report is the write's; the shutdown hook tries once more
            }
            TempFiles.release(temp);
        }
    }

    /**
     * Checks now, before any long work, that {@link #write} to {@code target} can succeed: it is not a folder, the
     * nearest existing folder on its path is a writable folder, and a temporary file with the name {@link #write}
     * would use can be created there (which also finds names the file system finds too long). Creates nothing that
     * stays.
     *
     * @throws OutputException naming {@code target} and what is wrong
     */
    public static void checkWritable(Path target) {
        Objects.requireNonNull(target, "target");
        Path file = target.toAbsolutePath();
        if (file.getParent() == null || file.getFileName() == null) {
            throw new OutputException(describe(target) + ": not a file path", null);
        }
        if (Files.isDirectory(file)) {
            throw new OutputException(describe(target) + ": is a folder; expected a file name", null);
        }
        Path existing = file.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new OutputException(describe(target) + ": cannot write it: " + describe(existing)
                    + " is not a folder", null);
        }
        Path probe = existing.resolve(tempFor(file).getFileName());
        TempFiles.register(probe);
        try {
            Files.createFile(probe);
        } catch (IOException e) {
            throw new OutputException(describe(target) + ": cannot write it: " + reason(e), e);
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // created and not deletable: the shutdown hook tries again
            }
            TempFiles.release(probe);
        }
    }

    /** Creates {@code dir}, the folder {@code target} goes in, when it is missing; says why when it cannot. */
    private static void createFolder(Path target, Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new OutputException(describe(target) + ": cannot write it: " + describe(existing)
                    + " is not a folder", null);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputException(describe(target) + ": cannot create the folder " + describe(dir) + ": "
                    + reason(e), e);
        }
    }

    /** The temporary file a write of {@code file} uses: {@code <name>.tmp-<16 hex digits>} beside it. */
    static Path tempFor(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp-" + String.format("%016x",
                RANDOM.nextLong() & Long.MAX_VALUE));
    }

    /** An I/O failure in a few words, without the temporary file's name. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "the file system refuses to create a file there";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file of that name appeared while writing";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String r = f.getReason();
            return r.isEmpty() ? "file system error" : Character.toLowerCase(r.charAt(0)) + r.substring(1);
        }
        String kind = e.getClass().getSimpleName();
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }

    /** A path for a one-line message: whole when short, else its start and end and its length. */
    public static String describe(Path path) {
        String s = String.valueOf(path);
        if (s.length() <= MESSAGE_PATH_LIMIT) {
            return s;
        }
        return s.substring(0, 60) + "..." + s.substring(s.length() - 40) + " (a path of " + s.length()
                + " characters)";
    }

    /** Makes the rename itself durable where the platform allows syncing a folder. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the content itself is synced
        }
    }
}
