package dev.uff4j.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format): unsigned-byte images ({@code 0x00000803}: count, rows, columns) and unsigned-byte
 * labels ({@code 0x00000801}: count), big-endian, raw or gzipped. Gzip is detected by its magic bytes
 * {@code 1f 8b}, not by the file name.
 *
 * <p>Every problem is a one-line {@link DataException} naming the file. A file must hold exactly what its header
 * says: a short body is "truncated", extra bytes are "trailing data".
 */
final class IdxReader {
    /** Magic of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Largest image side accepted; larger is taken for a corrupt header. */
    public static final int MAX_SIDE = 1 << 15;
    /** Largest body accepted: what one Java array can hold. */
    static final long MAX_BODY = Integer.MAX_VALUE - 8;

    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;
    private static final int GZIP_BUFFER = 1 << 16;
    /** Bodies up to this size are read into one array sized from the header; larger ones grow as data arrives. */
    private static final int PREALLOCATE_LIMIT = 1 << 28;
    /** {@code i / 255f}, so that conversion is one table load per pixel with exactly the division's result. */
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private IdxReader() {
    }

    /**
     * The images of an IDX image file.
     *
     * @param pixels {@code count x height*width} values in [0, 1] (byte / 255), row-major
     */
    public record Images(Path file, int count, int height, int width, float[] pixels) {
    }

    /** Reads an IDX image file (raw or gzipped). */
    public static Images readImages(Path file) {
        return parseImages(file, readFile(file));
    }

    /** Reads an IDX label file (raw or gzipped); values are 0..255, not yet checked against a class count. */
    public static int[] readLabels(Path file) {
        return parseLabels(file, readFile(file));
    }

    /**
     * Reads an image file and its label file into one single-channel {@link Dataset}, checking that there is one
     * label per image and that every label is in {@code [0, classes)}.
     */
    public static Dataset readPair(Path images, Path labels, String name, int classes) {
        return pair(readImages(images), labels, readLabels(labels), name, classes);
    }

    static Dataset pair(Images images, Path labelsFile, int[] labels, String name, int classes) {
        if (labels.length != images.count()) {
            throw new DataException(labelsFile, "has " + labels.length + " labels but " + images.file() + " has "
                    + images.count() + " images; expected one label per image");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new DataException(labelsFile, "label " + labels[i] + " at index " + i
                        + " is out of range, expected 0.." + (classes - 1) + " for " + classes + " classes");
            }
        }
        return Dataset.images(name, images.count(), 1, images.height(), images.width(), images.pixels(), labels,
                classes);
    }

    /** The whole file; a missing or unreadable file is a {@link DataException}. */
    static byte[] readFile(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new DataException(file, "is a directory, expected an IDX file");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "missing (no such file)");
        } catch (AccessDeniedException e) {
            throw new DataException(file, "cannot read it: permission denied");
        } catch (IOException e) {
            throw new DataException(file, "cannot read it: " + e, e);
        }
    }

    static boolean isGzip(byte[] content) {
        return content.length >= 2 && content[0] == (byte) 0x1f && content[1] == (byte) 0x8b;
    }

    static Images parseImages(Path file, byte[] content) {
        Body body = body(file, content, IMAGES_MAGIC, IMAGES_HEADER, "image", header -> {
            long count = u32(header, 4);
            long rows = u32(header, 8);
            long cols = u32(header, 12);
            String shape = count + " images of " + rows + "x" + cols;
            checkDimension(file, "image count", count, Integer.MAX_VALUE, shape);
            checkDimension(file, "rows", rows, MAX_SIDE, shape);
            checkDimension(file, "columns", cols, MAX_SIDE, shape);
            long bytes = count * rows * cols;
            if (bytes > MAX_BODY) {
                throw new DataException(file, "header says " + shape + " (" + bytes
                        + " bytes), more than one Java array holds (" + MAX_BODY + "); the header is corrupt");
            }
            return new Expect(shape, bytes);
        });
        int count = (int) u32(body.header, 4);
        int rows = (int) u32(body.header, 8);
        int cols = (int) u32(body.header, 12);
        int n = count * rows * cols;
        byte[] bytes = body.bytes;
        int offset = body.offset;
        float[] pixels = new float[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = SCALE[bytes[offset + i] & 0xFF];
        }
        return new Images(file, count, rows, cols, pixels);
    }

    static int[] parseLabels(Path file, byte[] content) {
        Body body = body(file, content, LABELS_MAGIC, LABELS_HEADER, "label", header -> {
            long count = u32(header, 4);
            String shape = count + " labels";
            checkDimension(file, "label count", count, MAX_BODY, shape);
            return new Expect(shape, count);
        });
        int n = (int) u32(body.header, 4);
        int[] labels = new int[n];
        byte[] bytes = body.bytes;
        int offset = body.offset;
        for (int i = 0; i < n; i++) {
            labels[i] = bytes[offset + i] & 0xFF;
        }
        return labels;
    }

    /** What a header announces: a description for messages and the body's size in bytes. */
    private record Expect(String shape, long bytes) {
    }

    /** The decoded header and where the body's bytes are. */
    private record Body(byte[] header, byte[] bytes, int offset) {
    }

    private interface HeaderCheck {
        Expect check(byte[] header);
    }

    /**
     * Checks magic, header and size, decompressing first when the content is gzipped, and returns the body. For gzip
     * the body is read after the header has been checked, so a corrupt header never causes a huge allocation.
     */
    private static Body body(Path file, byte[] content, int magic, int headerBytes, String kind, HeaderCheck check) {
        String what = "an IDX " + kind + " file";
        if (content.length == 0) {
            throw new DataException(file, "empty file (0 bytes), expected " + what);
        }
        if (!isGzip(content)) {
            byte[] header = header(file, content, content.length, magic, headerBytes, kind, "file has");
            Expect expect = check.check(header);
            long expected = headerBytes + expect.bytes();
            if (content.length < expected) {
                throw new DataException(file, "truncated: header says " + expect.shape() + " (" + expected
                        + " bytes), file has " + content.length + " bytes");
            }
            if (content.length > expected) {
                throw new DataException(file, "trailing data: header says " + expect.shape() + " (" + expected
                        + " bytes), file has " + content.length + " bytes");
            }
            return new Body(header, content, headerBytes);
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(content), GZIP_BUFFER)) {
            byte[] head = in.readNBytes(headerBytes);
            byte[] header = header(file, head, head.length, magic, headerBytes, kind, "decompressed data has");
            Expect expect = check.check(header);
            long expected = headerBytes + expect.bytes();
            int bodyBytes = (int) expect.bytes();
            byte[] bytes;
            int got;
            if (bodyBytes <= PREALLOCATE_LIMIT) {
                bytes = new byte[bodyBytes];
                got = in.readNBytes(bytes, 0, bodyBytes);
            } else {
                bytes = in.readNBytes(bodyBytes);
                got = bytes.length;
            }
            if (got < bodyBytes) {
                throw new DataException(file, "truncated: header says " + expect.shape() + " (" + expected
                        + " bytes), decompressed data has " + (headerBytes + got) + " bytes");
            }
            if (in.read() != -1) {
                throw new DataException(file, "trailing data: header says " + expect.shape() + " (" + expected
                        + " bytes), decompressed data has more");
            }
            return new Body(header, bytes, 0);
        } catch (EOFException e) {
            throw new DataException(file, "corrupt gzip stream: it ends early (" + e.getMessage()
                    + "); expected a complete gzipped IDX " + kind + " file", e);
        } catch (ZipException e) {
            throw new DataException(file, "corrupt gzip stream (" + e.getMessage() + "); expected a gzipped IDX "
                    + kind + " file", e);
        } catch (IOException e) {
            throw new DataException(file, "cannot decompress it: " + e, e);
        }
    }

    private static byte[] header(Path file, byte[] bytes, int length, int magic, int headerBytes, String kind,
                                 String has) {
        String what = "an IDX " + kind + " file";
        if (length < 4) {
            throw new DataException(file, "truncated header: " + has + " " + length + " bytes, " + what
                    + " starts with a " + headerBytes + "-byte header");
        }
        int actual = (int) u32(bytes, 0);
        if (actual != magic) {
            String hint = actual == IMAGES_MAGIC ? " (it is an IDX image file)"
                    : actual == LABELS_MAGIC ? " (it is an IDX label file)" : "";
            throw new DataException(file, "not " + what + " (magic " + hex(actual) + ", expected " + hex(magic)
                    + ")" + hint);
        }
        if (length < headerBytes) {
            throw new DataException(file, "truncated header: " + has + " " + length + " bytes, " + what
                    + " starts with a " + headerBytes + "-byte header");
        }
        byte[] header = new byte[headerBytes];
        System.arraycopy(bytes, 0, header, 0, headerBytes);
        return header;
    }

    private static void checkDimension(Path file, String what, long value, long max, String shape) {
        if (value < 1 || value > max) {
            throw new DataException(file, "bad header: " + what + " is " + value + " (header says " + shape
                    + "), expected 1.." + max);
        }
    }

    /** The big-endian unsigned 32-bit value at {@code offset}. */
    private static long u32(byte[] b, int offset) {
        return ((b[offset] & 0xFFL) << 24) | ((b[offset + 1] & 0xFFL) << 16) | ((b[offset + 2] & 0xFFL) << 8)
                | (b[offset + 3] & 0xFFL);
    }

    static String hex(int value) {
        return String.format("0x%08x", value);
    }
}
