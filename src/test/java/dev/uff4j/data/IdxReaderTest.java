package dev.uff4j.data;

import static dev.uff4j.data.IdxFiles.assertMessage;
import static dev.uff4j.data.IdxFiles.gzip;
import static dev.uff4j.data.IdxFiles.images;
import static dev.uff4j.data.IdxFiles.labels;
import static dev.uff4j.data.IdxFiles.pattern;
import static dev.uff4j.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir
    Path dir;

    private static UnaryOperator<byte[]> encoding(boolean gzipped) {
        return gzipped ? IdxFiles::gzip : b -> b;
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void oneImageOfThreeByFiveKeepsRowMajorOrderAndScalesByDivisionBy255(boolean gzipped) {
        byte[] px = new byte[15];
        for (int i = 0; i < 15; i++) {
            px[i] = (byte) (i * 17); // 0, 17, ..., 238
        }
        px[14] = (byte) 255;
        Path file = write(dir.resolve("one"), encoding(gzipped).apply(images(1, 3, 5, px)));

        IdxReader.Images im = IdxReader.readImages(file);

        assertEquals(1, im.count());
        assertEquals(3, im.height());
        assertEquals(5, im.width());
        assertEquals(15, im.pixels().length);
        assertEquals(0f, im.pixels()[0]);
        assertEquals((1 * 5 + 2) * 17 / 255f, im.pixels()[1 * 5 + 2]); // row 1, column 2
        assertEquals(1f, im.pixels()[14]);
        for (int i = 0; i < 15; i++) {
            assertEquals((px[i] & 0xFF) / 255f, im.pixels()[i]);
        }
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void manyImagesAndTheirLabelsMakeAnImageSet(boolean gzipped) {
        int count = 11;
        byte[] px = pattern(count * 15, 3);
        byte[] lab = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9};
        Path images = write(dir.resolve("img"), encoding(gzipped).apply(images(count, 3, 5, px)));
        Path labels = write(dir.resolve("lab"), encoding(gzipped).apply(labels(lab)));

        Dataset set = IdxReader.readPair(images, labels, "tiny/train", 10);

        assertEquals("tiny/train", set.name());
        assertEquals(count, set.count());
        assertEquals(1, set.channels());
        assertEquals(3, set.height());
        assertEquals(5, set.width());
        assertEquals(15, set.features());
        assertEquals(10, set.classes());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9}, set.labels());
        for (int i = 0; i < px.length; i++) {
            assertEquals((px[i] & 0xFF) / 255f, set.values()[i], "pixel " + i);
        }
    }

    @Test
    void labelsKeepTheirFullUnsignedRange() {
        Path file = write(dir.resolve("lab"), labels(new byte[] {0, 7, (byte) 200, (byte) 255}));
        assertArrayEquals(new int[] {0, 7, 200, 255}, IdxReader.readLabels(file));
    }

    @Test
    void gzipIsDetectedByContentNotByName() {
        byte[] raw = images(2, 2, 2, pattern(8, 0));
        Path gzNoSuffix = write(dir.resolve("images-idx3-ubyte"), gzip(raw));
        Path rawWithSuffix = write(dir.resolve("images-idx3-ubyte.gz"), raw);
        assertArrayEquals(IdxReader.readImages(gzNoSuffix).pixels(), IdxReader.readImages(rawWithSuffix).pixels());
    }

    // ---- bad inputs: each message is one line, starts with the file and says what was expected ----

    @Test
    void missingFile() {
        Path file = dir.resolve("nope-idx3-ubyte");
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "missing");
    }

    @Test
    void directoryInsteadOfFile() {
        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(dir));
        assertMessage(e, dir, "is a directory");
    }

    @Test
    void emptyFile() {
        Path file = write(dir.resolve("empty"), new byte[0]);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "empty file (0 bytes), expected an IDX image file");
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(file));
        assertMessage(e, file, "empty file (0 bytes), expected an IDX label file");
    }

    @Test
    void truncatedHeader() {
        byte[] header = Arrays.copyOf(images(1, 2, 2, new byte[4]), 10);
        Path file = write(dir.resolve("short"), header);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "truncated header: file has 10 bytes", "16-byte header");

        Path tiny = write(dir.resolve("tiny"), new byte[] {0, 0, 8});
        e = assertThrows(DataException.class, () -> IdxReader.readImages(tiny));
        assertMessage(e, tiny, "truncated header: file has 3 bytes");

        Path labels = write(dir.resolve("lab"), Arrays.copyOf(labels(new byte[3]), 6));
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(labels));
        assertMessage(e, labels, "truncated header: file has 6 bytes", "8-byte header");

        Path gz = write(dir.resolve("short.gz"), gzip(header));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(gz));
        assertMessage(e, gz, "truncated header: decompressed data has 10 bytes");
    }

    @Test
    void truncatedBodySaysWhatTheHeaderPromised() {
        byte[] full = images(1000, 28, 28, new byte[1000 * 784]);
        Path file = write(dir.resolve("train-images-idx3-ubyte"), Arrays.copyOf(full, 1000));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertEquals(file + ": truncated: header says 1000 images of 28x28 (784016 bytes), file has 1000 bytes",
                e.getMessage());

        Path gz = write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(Arrays.copyOf(full, 1000)));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(gz));
        assertMessage(e, gz, "truncated: header says 1000 images of 28x28 (784016 bytes)",
                "decompressed data has 1000 bytes");

        Path labels = write(dir.resolve("lab"), Arrays.copyOf(labels(new byte[50]), 30));
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(labels));
        assertMessage(e, labels, "truncated: header says 50 labels (58 bytes), file has 30 bytes");
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] full = images(2, 3, 5, new byte[30]);
        Path file = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 1));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "trailing data: header says 2 images of 3x5 (46 bytes), file has 47 bytes");

        Path gz = write(dir.resolve("long.gz"), gzip(Arrays.copyOf(full, full.length + 5)));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(gz));
        assertMessage(e, gz, "trailing data");
    }

    @Test
    void wrongMagic() {
        byte[] content = images(1, 1, 1, new byte[1]);
        ByteBuffer.wrap(content).putInt(0, 0x12345678);
        Path file = write(dir.resolve("junk"), content);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertEquals(file + ": not an IDX image file (magic 0x12345678, expected 0x00000803)", e.getMessage());

        Path gz = write(dir.resolve("junk.gz"), gzip(content));
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(gz));
        assertMessage(e, gz, "not an IDX label file (magic 0x12345678, expected 0x00000801)");
    }

    @Test
    void labelFileGivenAsImagesAndTheOtherWayRound() {
        Path labels = write(dir.resolve("labels"), labels(new byte[] {1, 2}));
        Path images = write(dir.resolve("images"), images(1, 1, 2, new byte[2]));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(labels));
        assertMessage(e, labels, "not an IDX image file (magic 0x00000801, expected 0x00000803)",
                "it is an IDX label file");
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(images));
        assertMessage(e, images, "not an IDX label file (magic 0x00000803, expected 0x00000801)",
                "it is an IDX image file");
        e = assertThrows(DataException.class, () -> IdxReader.readPair(labels, images, "x", 10));
        assertMessage(e, labels, "not an IDX image file");
    }

    @Test
    void zeroDimensions() {
        Path zeroCount = write(dir.resolve("zc"), images(0, 28, 28, new byte[0]));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(zeroCount));
        assertMessage(e, zeroCount, "bad header: image count is 0", "expected 1..");

        Path zeroRows = write(dir.resolve("zr"), images(3, 0, 28, new byte[0]));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(zeroRows));
        assertMessage(e, zeroRows, "bad header: rows is 0 (header says 3 images of 0x28)", "expected 1..32768");

        Path zeroCols = write(dir.resolve("zk"), images(3, 28, 0, new byte[0]));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(zeroCols));
        assertMessage(e, zeroCols, "bad header: columns is 0");

        Path zeroLabels = write(dir.resolve("zl"), labels(new byte[0]));
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(zeroLabels));
        assertMessage(e, zeroLabels, "bad header: label count is 0");
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void negativeDimensionsReadAsHugeUnsignedValues(boolean gzipped) {
        Path file = write(dir.resolve("neg"), encoding(gzipped).apply(images(2, -1, 28, new byte[0])));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        assertMessage(e, file, "bad header: rows is 4294967295", "expected 1..32768");

        Path count = write(dir.resolve("negc"), encoding(gzipped).apply(images(-5, 28, 28, new byte[0])));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(count));
        assertMessage(e, count, "bad header: image count is 4294967291", "expected 1..2147483647");

        byte[] lab = labels(new byte[0]);
        ByteBuffer.wrap(lab).putInt(4, -1);
        Path labels = write(dir.resolve("negl"), encoding(gzipped).apply(lab));
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(labels));
        assertMessage(e, labels, "bad header: label count is 4294967295");
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void absurdDimensionsAreRejectedBeforeAnyAllocation(boolean gzipped) {
        Path side = write(dir.resolve("side"), encoding(gzipped).apply(images(1, 100_000, 28, new byte[0])));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(side));
        assertMessage(e, side, "bad header: rows is 100000", "expected 1..32768");

        Path total = write(dir.resolve("total"), encoding(gzipped).apply(images(1_000_000, 30_000, 30_000,
                new byte[0])));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(total));
        assertMessage(e, total, "header says 1000000 images of 30000x30000 (900000000000000 bytes)",
                "more than one Java array holds", "the header is corrupt");
    }

    @Test
    void labelCountDifferentFromImageCount() {
        Path images = write(dir.resolve("img"), images(5, 2, 2, new byte[20]));
        Path labels = write(dir.resolve("lab"), labels(new byte[] {1, 2, 3, 4}));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readPair(images, labels, "x", 10));
        assertMessage(e, labels, "has 4 labels but " + images + " has 5 images; expected one label per image");
    }

    @Test
    void labelOutsideTheClasses() {
        Path images = write(dir.resolve("img"), images(3, 2, 2, new byte[12]));
        Path labels = write(dir.resolve("lab"), labels(new byte[] {9, 0, 10}));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readPair(images, labels, "x", 10));
        assertMessage(e, labels, "label 10 at index 2 is out of range, expected 0..9 for 10 classes");
    }

    @Test
    void corruptGzipStreams() {
        byte[] good = gzip(images(4, 3, 5, pattern(60, 1)));

        byte[] garbage = Arrays.copyOf(good, good.length);
        for (int i = 10; i < garbage.length - 8; i++) {
            garbage[i] = (byte) 0xff;
        }
        Path bad = write(dir.resolve("garbage.gz"), garbage);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(bad));
        assertMessage(e, bad, "corrupt gzip stream", "expected a gzipped IDX image file");

        Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(good, good.length / 2));
        e = assertThrows(DataException.class, () -> IdxReader.readImages(cut));
        assertMessage(e, cut, "corrupt gzip stream: it ends early");

        byte[] badCrc = Arrays.copyOf(good, good.length);
        badCrc[badCrc.length - 6] ^= 0x55; // the CRC-32 in the trailer
        Path crc = write(dir.resolve("crc.gz"), badCrc);
        e = assertThrows(DataException.class, () -> IdxReader.readImages(crc));
        assertMessage(e, crc, "corrupt gzip stream");

        Path onlyMagic = write(dir.resolve("magic.gz"), new byte[] {0x1f, (byte) 0x8b});
        e = assertThrows(DataException.class, () -> IdxReader.readLabels(onlyMagic));
        assertMessage(e, onlyMagic, "corrupt gzip stream");
    }

    @Test
    void messagesAreOneLineEvenForOddFileNames() throws Exception {
        Path file = dir.resolve("two\nlines");
        Files.write(file, new byte[0]);
        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));
        IdxFiles.assertOneLine(e, "empty file");
    }
}
