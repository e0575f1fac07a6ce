package dev.uff4j.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary files and folders that must not outlive the process: an interrupt (Ctrl-C, SIGINT) or a SIGTERM skips
 * {@code finally} blocks but runs shutdown hooks, so whatever is registered here when the JVM stops is deleted by
 * one hook. Writers register a temporary file when they create it and release it once it is renamed into place or
 * deleted.
 */
public final class TempFiles {
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TempFiles::deleteAll, "uff4j-temp-files"));
    }

    private TempFiles() {
    }

    /** Deletes {@code path} (a file, or a folder with everything in it) if the JVM stops before {@link #release}. */
    public static void register(Path path) {
        LIVE.add(Objects.requireNonNull(path, "path").toAbsolutePath());
    }

    /** {@code path} is gone or in its final place: nothing to delete at shutdown. */
    public static void release(Path path) {
        LIVE.remove(Objects.requireNonNull(path, "path").toAbsolutePath());
    }

    /** What the shutdown hook runs: deletes every registered path, best effort. */
    static void deleteAll() {
        for (Path p : LIVE) {
            try {
                deleteTree(p);
            } catch (IOException | RuntimeException ignored) {
                // the JVM is stopping: nothing else can be done about a file that will not go
            }
            LIVE.remove(p);
        }
    }

    /** Whether {@code path} is registered (for tests). */
    static boolean isRegistered(Path path) {
        return LIVE.contains(path.toAbsolutePath());
    }

    /** Deletes a file, or a folder and everything under it; a missing path is fine. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                dir.toFile().setWritable(true); // unpacked packages may hold read-only folders
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
