package dev.uff4j.data;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds CIFAR-10 binary batch files for tests: small ones with known labels and pixels, and sparse full-size ones. */
final class CifarFiles {
    private CifarFiles() {
    }

    /**
     * The pixel byte at {@code index} (0..3071: channel * 1024 + row * 32 + column) of generated sample
     * {@code sample}; it differs between channels, rows, columns and samples, and takes every value 0..255.
     */
    static int pixel(int sample, int index) {
        return (sample * 41 + index * 7 + index / 1024 * 100) & 0xFF;
    }

    /** The label of generated sample {@code sample}. */
    static int label(int sample) {
        return (sample * 3 + 1) % 10;
    }

    /** {@code count} records of generated samples {@code first, first + 1, ...}. */
    static byte[] records(int first, int count) {
        byte[] b = new byte[count * CifarReader.RECORD_BYTES];
        for (int r = 0; r < count; r++) {
            int at = r * CifarReader.RECORD_BYTES;
            b[at] = (byte) label(first + r);
            for (int i = 0; i < CifarReader.IMAGE_BYTES; i++) {
                b[at + 1 + i] = (byte) pixel(first + r, i);
            }
        }
        return b;
    }

    /**
     * Writes the six files into {@code folder} with {@code recordsPerFile} records each: data_batch_k holds generated
     * samples {@code (k - 1) * recordsPerFile ...}, test_batch.bin continues after the fifth batch.
     */
    static void writeAll(Path folder, int recordsPerFile) {
        for (int f = 0; f < CifarReader.FILES.size(); f++) {
            IdxFiles.write(folder.resolve(CifarReader.FILES.get(f)), records(f * recordsPerFile, recordsPerFile));
        }
    }

    /** One record: {@code label}, then {@code pixels} (3072 values 0..255, channel-major). */
    static byte[] record(int label, int[] pixels) {
        byte[] b = new byte[CifarReader.RECORD_BYTES];
        b[0] = (byte) label;
        for (int i = 0; i < CifarReader.IMAGE_BYTES; i++) {
            b[1 + i] = (byte) pixels[i];
        }
        return b;
    }

    /** Writes the six files into {@code folder} at their real size (10000 records), sparse: all zero bytes. */
    static void writeFullSizeZeros(Path folder) {
        try {
            Files.createDirectories(folder);
            for (String f : CifarReader.FILES) {
                try (RandomAccessFile raf = new RandomAccessFile(folder.resolve(f).toFile(), "rw")) {
                    raf.setLength((long) CifarReader.RECORDS_PER_FILE * CifarReader.RECORD_BYTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Overwrites {@code bytes} at {@code offset} of an existing file. */
    static void patch(Path file, long offset, byte... bytes) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
