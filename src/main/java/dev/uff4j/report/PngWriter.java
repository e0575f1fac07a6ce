package dev.uff4j.report;

import dev.uff4j.io.AtomicFile;
import dev.uff4j.io.OutputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Encodes a {@link Raster} as a PNG (8-bit RGB, no interlacing) with nothing but {@code java.base}: the signature,
 * IHDR, one IDAT of zlib data from {@link Deflater}, and IEND, each chunk with its CRC-32.
 *
 * <p>Every scanline uses filter type 0 (none): plots are mostly flat colour, which deflate compresses well without
 * prediction, and it keeps the encoder obviously correct.
 */
final class PngWriter {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};


    private PngWriter() {
    }

    /** The PNG file's bytes for {@code raster}. */
    public static byte[] encode(Raster raster) {
        int w = raster.width();
        int h = raster.height();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(SIGNATURE);

        ByteBuffer ihdr = ByteBuffer.allocate(13); // big-endian, as PNG is
        ihdr.putInt(w).putInt(h);
        ihdr.put((byte) 8);  // bit depth
        ihdr.put((byte) 2);  // colour type: truecolour (RGB)
        ihdr.put((byte) 0);  // compression: deflate
        ihdr.put((byte) 0);  // filter method: adaptive (we use type 0 on every line)
        ihdr.put((byte) 0);  // no interlace
        chunk(png, "IHDR", ihdr.array());

        chunk(png, "IDAT", deflateScanlines(raster.pixels(), w, h));
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    /**
     * Writes {@code raster} as a PNG to {@code file} atomically ({@link AtomicFile}), creating parent folders as
     * needed, so a reader never sees a partial image; on any failure a file already at {@code file} is left as it was.
     *
     * @throws OutputException when {@code file} is a folder or cannot be written; the message starts with the path
     */
    public static void write(Path file, Raster raster) {
        byte[] bytes = encode(raster); // before touching the disk: an encoding failure leaves nothing behind
        AtomicFile.write(file, channel -> {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        });
    }

    /** Each row as filter byte 0 and R, G, B per pixel, deflated in one zlib stream. */
    private static byte[] deflateScanlines(int[] pixels, int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try (OutputStream z = new DeflaterOutputStream(out, deflater, 1 << 16)) {
            byte[] line = new byte[1 + 3 * w];
            for (int y = 0; y < h; y++) {
                line[0] = 0; // filter type 0: none
                for (int x = 0, i = 1; x < w; x++) {
                    int p = pixels[y * w + x];
                    line[i++] = (byte) (p >>> 16);
                    line[i++] = (byte) (p >>> 8);
                    line[i++] = (byte) p;
                }
                z.write(line);
            }
        } catch (IOException e) {
            throw new IllegalStateException("deflating into memory cannot fail", e);
        } finally {
            deflater.end(); // DeflaterOutputStream does not end a Deflater it was given
        }
        return out.toByteArray();
    }

    /** Length, type, data and the CRC-32 of type and data. */
    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
