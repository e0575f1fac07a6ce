package dev.uff4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and byte arrays, as lower-case hex. */
final class Checksums {
    private static final int BUFFER = 1 << 20;

    private Checksums() {
    }

    /** Streams the file through SHA-256 with a 1 MiB buffer. */
    public static String sha256(Path file) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file, "missing (no such file)");
        } catch (IOException e) {
            throw new DataException(file, "cannot read it: " + e, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String sha256(byte[] content) {
        return HexFormat.of().formatHex(newDigest().digest(content));
    }

    /** Throws a one-line {@link DataException} when {@code actual} is not {@code expected}. */
    static void check(Path file, String actual, String expected, String remedy) {
        if (!actual.equalsIgnoreCase(expected)) {
            throw new DataException(file, "sha256 mismatch (got " + actual + ", expected " + expected + ")"
                    + (remedy.isEmpty() ? "" : "; " + remedy));
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
