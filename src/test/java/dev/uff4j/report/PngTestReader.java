package dev.uff4j.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A deliberately independent PNG decoder for the tests: it accepts only what {@link PngWriter} should produce (8-bit
 * RGB, no interlace, filter type 0) and checks the signature, chunk order and every CRC on the way, so that a
 * malformed file fails loudly instead of decoding to something plausible.
 */
final class PngTestReader {
    /** A decoded image: {@code 0xRRGGBB} pixels, row-major, and the chunk types in file order. */
    record Image(int width, int height, int[] rgb, List<String> chunks) {
        int get(int x, int y) {
            return rgb[y * width + x];
        }

        /** How many pixels have exactly colour {@code c}. */
        long count(int c) {
            return Arrays.stream(rgb).filter(p -> p == c).count();
        }
    }

    private PngTestReader() {
    }

    static Image read(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    static Image decode(byte[] png) {
        ByteBuffer in = ByteBuffer.wrap(png); // big-endian
        byte[] signature = new byte[8];
        in.get(signature);
        check(Arrays.equals(signature, PngWriter.SIGNATURE), "bad signature");
        List<String> chunks = new ArrayList<>();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        int width = -1;
        int height = -1;
        while (in.hasRemaining()) {
            int length = in.getInt();
            byte[] type = new byte[4];
            in.get(type);
            byte[] data = new byte[length];
            in.get(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            String name = new String(type, StandardCharsets.US_ASCII);
            check(in.getInt() == (int) crc.getValue(), name + ": CRC mismatch");
            chunks.add(name);
            switch (name) {
                case "IHDR" -> {
                    check(chunks.size() == 1 && length == 13, "IHDR must come first and be 13 bytes");
                    ByteBuffer h = ByteBuffer.wrap(data);
                    width = h.getInt();
                    height = h.getInt();
                    check(h.get() == 8 && h.get() == 2, "expected 8-bit RGB");
                    check(h.get() == 0 && h.get() == 0 && h.get() == 0, "expected deflate, filter 0, no interlace");
                }
                case "IDAT" -> idat.writeBytes(data);
                case "IEND" -> check(!in.hasRemaining() && length == 0, "IEND must be empty and last");
                default -> throw new AssertionError("unexpected chunk " + name);
            }
        }
        check(chunks.get(chunks.size() - 1).equals("IEND"), "missing IEND");

        byte[] raw = inflate(idat.toByteArray());
        int stride = 1 + 3 * width;
        check(raw.length == (long) stride * height, "inflated " + raw.length + " bytes, expected " + stride * height);
        int[] rgb = new int[width * height];
        for (int y = 0; y < height; y++) {
            check(raw[y * stride] == 0, "row " + y + ": filter type " + raw[y * stride] + ", expected 0");
            for (int x = 0; x < width; x++) {
                int i = y * stride + 1 + 3 * x;
                rgb[y * width + x] = (raw[i] & 0xFF) << 16 | (raw[i + 1] & 0xFF) << 8 | (raw[i + 2] & 0xFF);
            }
        }
        return new Image(width, height, rgb, chunks);
    }

    private static byte[] inflate(byte[] z) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(z);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                check(n > 0 || inflater.finished(), "truncated zlib stream");
                out.write(buf, 0, n);
            }
            check(inflater.getRemaining() == 0, "bytes after the zlib stream");
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new AssertionError("bad zlib data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError("PNG: " + message);
        }
    }
}
