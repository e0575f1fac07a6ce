package dev.uff4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Loads a real dataset from {@code <dataDir>/<id>/}. For the IDX datasets each file's sha256 is checked against the
 * known sum before it is parsed, so a damaged or foreign file is reported as such rather than trained on. CIFAR-10
 * has no known sums: {@link CifarReader} checks its files' structure (sizes, record counts, labels) instead.
 */
public final class Datasets {
    private Datasets() {
    }

    /** Loads the training and test sets ({@code "<id>/train"}, {@code "<id>/test"}). */
    public static DataSplit load(DatasetId id, Path dataDir) {
        if (id.format() == DatasetId.Format.CIFAR10_BINARY) {
            return CifarReader.load(dir(id, dataDir), id.id(), CifarReader.RECORDS_PER_FILE);
        }
        return load(id, dataDir, DatasetId.DataFile::sha256);
    }

    /** The directory that holds a dataset's files. */
    public static Path dir(DatasetId id, Path dataDir) {
        return dataDir.resolve(id.id());
    }

    /** An IDX dataset; {@code expectedSha256} gives each file's sum; tests use it to load generated files. */
    static DataSplit load(DatasetId id, Path dataDir, Function<DatasetId.DataFile, String> expectedSha256) {
        Path dir = dir(id, dataDir);
        for (DatasetId.DataFile f : id.files()) {
            Path file = dir.resolve(f.name());
            if (!Files.exists(file)) {
                throw new DataException(file, "missing; run '" + id.fetchCommand() + "' (or pass --data DIR)");
            }
        }
        ImageSet train = loadPair(id, dir, id.trainImages(), id.trainLabels(), "train", expectedSha256);
        ImageSet test = loadPair(id, dir, id.testImages(), id.testLabels(), "test", expectedSha256);
        return new DataSplit(train, test);
    }

    private static ImageSet loadPair(DatasetId id, Path dir, DatasetId.DataFile images, DatasetId.DataFile labels,
                                     String split, Function<DatasetId.DataFile, String> expectedSha256) {
        Path imagesFile = dir.resolve(images.name());
        Path labelsFile = dir.resolve(labels.name());
        IdxReader.Images pixels = IdxReader.parseImages(imagesFile,
                verified(id, imagesFile, expectedSha256.apply(images)));
        int[] classes = IdxReader.parseLabels(labelsFile, verified(id, labelsFile, expectedSha256.apply(labels)));
        return IdxReader.pair(pixels, labelsFile, classes, id.id() + "/" + split, id.classes());
    }

    /** Reads the file once, checks its sha256 on the bytes read, and returns them for parsing. */
    private static byte[] verified(DatasetId id, Path file, String expectedSha256) {
        byte[] content = IdxReader.readFile(file);
        Checksums.check(file, Checksums.sha256(content), expectedSha256,
                "delete it and run '" + id.fetchCommand() + "'");
        return content;
    }
}
