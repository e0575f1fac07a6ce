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

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Datasets#load} on small generated files laid out like the real ones. */
class DatasetsTest {
    @TempDir
    Path data;

    /** Writes 7 train and 3 test images of 3x5 for {@code id}, gzipped when the file names say so. */
    private void writeTiny(DatasetId id) {
        Path dir = data.resolve(id.id());
        boolean gz = id.trainImages().name().endsWith(".gz");
        write(dir.resolve(id.trainImages().name()), encode(gz, images(7, 3, 5, pattern(105, 1))));
        write(dir.resolve(id.trainLabels().name()), encode(gz, labels(new byte[] {0, 1, 2, 3, 4, 5, 9})));
        write(dir.resolve(id.testImages().name()), encode(gz, images(3, 3, 5, pattern(45, 2))));
        write(dir.resolve(id.testLabels().name()), encode(gz, labels(new byte[] {7, 8, 9})));
    }

    private static byte[] encode(boolean gz, byte[] raw) {
        return gz ? gzip(raw) : raw;
    }

    /** The sums of the files as written, so that the checksum step passes on generated data. */
    private DataSplit loadTrustingWhatIsThere(DatasetId id) {
        Path dir = data.resolve(id.id());
        return Datasets.load(id, data, f -> new DatasetId.DataFile(f.name(), Checksums.sha256(dir.resolve(f.name())),
                -1));
    }

    @Test
    void loadsRawAndGzippedLayouts() {
        for (DatasetId id : DatasetId.values()) {
            if (id.format() != DatasetId.Format.IDX) {
                continue; // CifarReaderTest
            }
            writeTiny(id);
            DataSplit split = loadTrustingWhatIsThere(id);
            assertEquals(id.id() + "/train", split.train().name());
            assertEquals(id.id() + "/test", split.test().name());
            assertEquals(7, split.train().count());
            assertEquals(3, split.test().count());
            assertEquals(3, split.test().height());
            assertEquals(5, split.test().width());
            assertArrayEquals(new int[] {7, 8, 9}, split.test().labels());
            assertEquals((pattern(45, 2)[44] & 0xFF) / 255f, split.test().values()[44]);
        }
    }

    @Test
    void aMissingFileSaysHowToFetchIt() {
        writeTiny(DatasetId.MNIST);
        Path file = data.resolve("mnist").resolve("t10k-labels-idx1-ubyte");
        assertEquals(true, file.toFile().delete());
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.MNIST, data));
        assertEquals(file + ": missing; run 'bin/uff4j data fetch --dataset mnist' (or pass --data DIR)",
                e.getMessage());

        Path empty = data.resolve("elsewhere");
        e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.FASHION_MNIST, empty));
        assertMessage(e, empty.resolve("fashion-mnist").resolve("train-images-idx3-ubyte.gz"),
                "missing; run 'bin/uff4j data fetch --dataset fashion-mnist'");
    }

    @Test
    void aFileOfTheWrongSizeIsReportedWithoutBeingRead() throws Exception {
        writeTiny(DatasetId.MNIST);
        Path file = data.resolve("mnist").resolve("train-images-idx3-ubyte");
        long size = Files.size(file);
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.MNIST, data));
        assertEquals(file + ": is " + size + " bytes, expected 47040016 (a damaged or foreign file); delete it and "
                + "run 'bin/uff4j data fetch --dataset mnist'", e.getMessage());
        try (RandomAccessFile huge = new RandomAccessFile(file.toFile(), "rw")) {
            huge.setLength(3L << 30); // sparse: 3 GiB that no one reads
        }
        e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.MNIST, data));
        assertMessage(e, file, "is 3221225472 bytes, expected 47040016");
    }

    @Test
    void aFileOfTheRightSizeWithTheWrongSha256IsReportedBeforeItIsParsed() throws Exception {
        writeTiny(DatasetId.MNIST);
        Path file = data.resolve("mnist").resolve("train-images-idx3-ubyte");
        try (RandomAccessFile zeros = new RandomAccessFile(file.toFile(), "rw")) {
            zeros.setLength(DatasetId.MNIST.trainImages().bytes()); // the right size, all zeros: unparseable too
        }
        String actual = Checksums.sha256(file);
        DataException e = assertThrows(DataException.class, () -> Datasets.load(DatasetId.MNIST, data));
        assertEquals(file + ": sha256 mismatch (got " + actual + ", expected "
                + DatasetId.MNIST.trainImages().sha256()
                + "); delete it and run 'bin/uff4j data fetch --dataset mnist'", e.getMessage());
    }

    @Test
    void parseErrorsStillNameTheFile() throws Exception {
        writeTiny(DatasetId.FASHION_MNIST);
        Path labels = data.resolve("fashion-mnist").resolve("t10k-labels-idx1-ubyte.gz");
        Files.write(labels, gzip(labels(new byte[] {1, 2})));
        DataException e = assertThrows(DataException.class, () -> loadTrustingWhatIsThere(DatasetId.FASHION_MNIST));
        assertMessage(e, labels, "has 2 labels but", "has 3 images");
    }

    @Test
    void sha256MatchesKnownVectors() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Checksums.sha256(new byte[0]));
        Path abc = write(data.resolve("abc"), "abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Checksums.sha256(abc));
        byte[] big = pattern(3 * (1 << 20) + 17, 5); // spans several 1 MiB buffers
        assertEquals(Checksums.sha256(big), Checksums.sha256(write(data.resolve("big"), big)));
    }
}
