package dev.uff4j.data;

import static dev.uff4j.data.IdxFiles.assertMessage;
import static dev.uff4j.data.IdxFiles.assertOneLine;
import static dev.uff4j.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CifarReader} and {@link Datasets#load} of CIFAR-10 on small generated files. */
class CifarReaderTest {
    private static final int R = 0;
    private static final int G = 1024;
    private static final int B = 2048;

    @TempDir
    Path data;

    private Path cifar() {
        return data.resolve("cifar10");
    }

    private static int at(int channelOffset, int row, int column) {
        return channelOffset + row * 32 + column;
    }

    @Test
    void aRecordIsALabelByteThenTheRedGreenAndBluePlanesRowMajor() {
        int[] px = new int[3072];
        Arrays.fill(px, R, G, 10);
        Arrays.fill(px, G, B, 20);
        Arrays.fill(px, B, 3072, 30);
        px[at(R, 1, 2)] = 255;
        px[at(G, 31, 0)] = 128;
        px[at(B, 0, 31)] = 0;
        byte[] two = new byte[2 * 3073];
        System.arraycopy(CifarFiles.record(3, px), 0, two, 0, 3073);
        System.arraycopy(CifarFiles.record(9, new int[3072]), 0, two, 3073, 3073);
        Path file = write(data.resolve("b.bin"), two);

        Dataset set = CifarReader.readBatch(file, "t/b");

        assertEquals("t/b", set.name());
        assertEquals(2, set.count());
        assertEquals(3, set.channels());
        assertEquals(32, set.height());
        assertEquals(32, set.width());
        assertEquals(3072, set.features());
        assertEquals(10, set.classes());
        assertArrayEquals(new int[] {3, 9}, set.labels());
        float[] p = set.values();
        assertEquals(10 / 255f, p[at(R, 0, 0)]);
        assertEquals(1f, p[at(R, 1, 2)]);
        assertEquals(10 / 255f, p[at(R, 2, 1)]);
        assertEquals(20 / 255f, p[at(G, 0, 0)]);
        assertEquals(128 / 255f, p[at(G, 31, 0)]);
        assertEquals(20 / 255f, p[at(G, 0, 31)]);
        assertEquals(30 / 255f, p[at(B, 31, 31)]);
        assertEquals(0f, p[at(B, 0, 31)]);
        for (int i = 0; i < 3072; i++) {
            assertEquals(px[i] / 255f, p[i], "sample 0, value " + i);
            assertEquals(0f, p[3072 + i], "sample 1, value " + i);
        }
    }

    @Test
    void scalingIsByteDividedBy255LikeIdx() {
        Path file = write(data.resolve("s.bin"), CifarFiles.records(0, 1));
        float[] p = CifarReader.readBatch(file, "s").values();
        boolean sawZero = false;
        boolean sawOne = false;
        for (int i = 0; i < 3072; i++) {
            int b = CifarFiles.pixel(0, i);
            assertEquals(b / 255f, p[i]);
            sawZero |= b == 0;
            sawOne |= b == 255;
        }
        assertTrue(sawZero && sawOne, "the generated record should hold both 0 and 255");
    }

    @Test
    void loadConcatenatesTheFiveTrainingBatchesInOrder() {
        CifarFiles.writeAll(cifar(), 2);

        DataSplit split = CifarReader.load(cifar(), "cifar10", 2);

        Dataset train = split.train();
        assertEquals("cifar10/train", train.name());
        assertEquals(10, train.count());
        assertEquals(3072, train.features());
        for (int s = 0; s < 10; s++) {
            assertEquals(CifarFiles.label(s), train.labels()[s], "train sample " + s);
            for (int i : new int[] {0, at(R, 5, 7), at(G, 0, 0), at(G, 17, 3), at(B, 31, 31)}) {
                assertEquals(CifarFiles.pixel(s, i) / 255f, train.values()[s * 3072 + i], "train " + s + "/" + i);
            }
        }
        Dataset test = split.test();
        assertEquals("cifar10/test", test.name());
        assertEquals(2, test.count());
        assertArrayEquals(new int[] {CifarFiles.label(10), CifarFiles.label(11)}, test.labels());
        assertEquals(CifarFiles.pixel(11, at(B, 3, 4)) / 255f, test.values()[3072 + at(B, 3, 4)]);
    }

    @Test
    void theFilesMayBeInTheArchivesSubfolder() {
        Path sub = cifar().resolve("cifar-10-batches-bin");
        CifarFiles.writeAll(sub, 1);
        write(sub.resolve("batches.meta.txt"), "airplane\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertEquals(sub, CifarReader.find(cifar()));
        assertTrue(DataFetcher.isPresent(DatasetId.CIFAR10, data));
        DataSplit split = CifarReader.load(cifar(), "cifar10", 1);
        assertEquals(5, split.train().count());
        assertEquals(CifarFiles.label(4), split.train().labels()[4]);
        assertEquals(CifarFiles.label(5), split.test().labels()[0]);
    }

    @Test
    void aTruncatedFileNamesTheFileAndItsByteCount() {
        CifarFiles.writeAll(cifar(), 2);
        Path file = cifar().resolve("data_batch_4.bin");
        write(file, Arrays.copyOf(CifarFiles.records(6, 2), 2 * 3073 - 5));

        DataException e = assertThrows(DataException.class, () -> CifarReader.load(cifar(), "cifar10", 2));
        assertMessage(e, file, "has 6141 bytes, not a whole number of 3073-byte records", "truncated");
        e = assertThrows(DataException.class, () -> CifarReader.readBatch(file, "x"));
        assertMessage(e, file, "has 6141 bytes");

        Path empty = write(data.resolve("empty.bin"), new byte[0]);
        e = assertThrows(DataException.class, () -> CifarReader.readBatch(empty, "x"));
        assertMessage(e, empty, "empty file (0 bytes)");

        Path cifar100 = write(data.resolve("train.bin"), new byte[3 * 3074]);
        e = assertThrows(DataException.class, () -> CifarReader.readBatch(cifar100, "x"));
        assertMessage(e, cifar100, "has 9222 bytes", "CIFAR-100");
    }

    @Test
    void aLabelOutsideZeroToNineNamesTheFileAndRecord() {
        CifarFiles.writeAll(cifar(), 3);
        Path file = cifar().resolve("test_batch.bin");
        byte[] records = CifarFiles.records(15, 3);
        records[2 * 3073] = 10;
        write(file, records);

        DataException e = assertThrows(DataException.class, () -> CifarReader.load(cifar(), "cifar10", 3));
        assertMessage(e, file, "record 2 (byte offset 6146) has label 10, expected 0..9");
        e = assertThrows(DataException.class, () -> CifarReader.readBatch(file, "x"));
        assertMessage(e, file, "record 2 ");
    }

    @Test
    void everyFileMustHoldTheSameNumberOfRecords() {
        CifarFiles.writeAll(cifar(), 2);
        Path file = cifar().resolve("data_batch_2.bin");
        write(file, CifarFiles.records(2, 3));

        DataException e = assertThrows(DataException.class, () -> CifarReader.load(cifar(), "cifar10", 2));
        assertMessage(e, file, "has 3 records (9219 bytes), expected 2 (6146 bytes)");
    }

    @Test
    void theRealLoaderRequiresTenThousandRecordsPerFile() {
        CifarFiles.writeAll(cifar(), 2);

        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.CIFAR10, data));
        assertMessage(e, cifar().resolve("data_batch_1.bin"),
                "has 2 records (6146 bytes), expected 10000 (30730000 bytes) like every CIFAR-10 batch file");
    }

    @Test
    void theRealLoaderReadsFullSizeFilesIntoFiftyThousandAndTenThousandImages() {
        Path sub = cifar().resolve("cifar-10-batches-bin");
        CifarFiles.writeFullSizeZeros(sub);
        long last = 9999L * 3073;
        CifarFiles.patch(sub.resolve("data_batch_1.bin"), 0, (byte) 4, (byte) 255);
        CifarFiles.patch(sub.resolve("data_batch_5.bin"), last, (byte) 7);
        CifarFiles.patch(sub.resolve("data_batch_5.bin"), last + 1 + at(B, 31, 31), (byte) 51);
        CifarFiles.patch(sub.resolve("test_batch.bin"), last, (byte) 9);

        DataSplit split = Datasets.load(DatasetId.CIFAR10, data);

        assertEquals(50000, split.train().count());
        assertEquals(10000, split.test().count());
        assertEquals(3072, split.train().features());
        assertEquals(4, split.train().labels()[0]);
        assertEquals(1f, split.train().values()[0]);
        assertEquals(7, split.train().labels()[49999]);
        assertEquals(51 / 255f, split.train().values()[49999 * 3072 + at(B, 31, 31)]);
        assertEquals(0f, split.train().values()[49999 * 3072 + at(B, 31, 30)]);
        assertEquals(9, split.test().labels()[9999]);
        assertEquals(0, split.test().labels()[9998]);
    }

    @Test
    void noFilesAtAllSaysWhereToPutThem() {
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.CIFAR10, data));
        Path dir = cifar();
        assertEquals("cifar10 cannot be fetched on this machine and none of its files are in " + dir + " or "
                + dir.resolve("cifar-10-batches-bin") + ": download the CIFAR-10 binary version "
                + "(cifar-10-binary.tar.gz) and put data_batch_1.bin to data_batch_5.bin and test_batch.bin in "
                + dir + "/ (or in " + dir.resolve("cifar-10-batches-bin") + "/)", e.getMessage());
        assertFalse(DataFetcher.isPresent(DatasetId.CIFAR10, data));
        assertNull(CifarReader.find(dir));
    }

    @Test
    void aMissingFileIsNamedWithWhereItLookedAndWhereToPutTheFiles() throws Exception {
        Path sub = cifar().resolve("cifar-10-batches-bin");
        CifarFiles.writeAll(sub, 1);
        Files.delete(sub.resolve("data_batch_3.bin"));
        Files.delete(sub.resolve("test_batch.bin"));
        write(cifar().resolve("test_batch.bin"), CifarFiles.records(5, 1)); // the folder with more files wins

        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.CIFAR10, data));
        assertMessage(e, sub.resolve("data_batch_3.bin"), "missing (also missing: test_batch.bin; looked in "
                + cifar() + " and " + sub + "); cifar10 cannot be fetched on this machine: download the CIFAR-10 "
                + "binary version", "and test_batch.bin in " + cifar() + "/");
        assertFalse(DataFetcher.isPresent(DatasetId.CIFAR10, data));

        Files.delete(cifar().resolve("test_batch.bin"));
        write(sub.resolve("test_batch.bin"), CifarFiles.records(5, 1));
        e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.CIFAR10, data));
        assertMessage(e, sub.resolve("data_batch_3.bin"), "missing (looked in ");
    }

    @Test
    void likelyMixUpsAreNamed() throws Exception {
        Path tgz = write(cifar().resolve("cifar-10-binary.tar.gz"), new byte[] {1});
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.CIFAR10, data));
        assertOneLine(e, "; unpack " + tgz + " first (cd " + cifar() + " && tar xzf cifar-10-binary.tar.gz)");

        Files.delete(tgz);
        Files.createDirectories(cifar().resolve("cifar-10-batches-py"));
        e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.CIFAR10, data));
        assertOneLine(e, "the Python version of CIFAR-10 there is not what uff4j reads");
    }
}
