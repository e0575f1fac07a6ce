package dev.uff4j.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads the binary version of CIFAR-10: batch files of 3073-byte records, each one label byte (0..9) followed by
 * 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each plane 32x32 row-major). That is already the channel-major
 * layout of {@link Dataset}, so a record's pixels are kept in file order and scaled to [0, 1] by dividing by 255, as
 * {@link IdxReader} does.
 *
 * <p>No sha256 of the files is known here, so they are checked by their structure: each standard file must hold
 * exactly {@link #RECORDS_PER_FILE} whole records, and every label must be in 0..9. Every problem is a one-line
 * {@link DataException} naming the file.
 */
final class CifarReader {
    public static final int CLASSES = 10;
    public static final int CHANNELS = 3;
    public static final int SIDE = 32;
    /** Pixel bytes per record: 3 x 32 x 32. */
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    /** Bytes per record: the label byte, then the pixels. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    /** Records in each of the six standard files. */
    public static final int RECORDS_PER_FILE = 10_000;
    /** The folder the official archive unpacks to; the files may be in it or directly in the dataset directory. */
    public static final String SUBFOLDER = "cifar-10-batches-bin";
    /** The training batches, in the order they are concatenated. */
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    /** The training batches, then the test batch. */
    public static final List<String> FILES = Stream.concat(TRAIN_FILES.stream(), Stream.of(TEST_FILE)).toList();

    /** {@code i / 255f}: the same values as {@link IdxReader}'s scaling. */
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private CifarReader() {
    }

    /**
     * Reads one batch file holding any whole number of records into an {@link Dataset} of 3x32x32 images named
     * {@code name}.
     */
    public static Dataset readBatch(Path file, String name) {
        byte[] content = IdxReader.readFile(file);
        int records = records(file, content.length);
        float[] pixels = new float[records * IMAGE_BYTES];
        int[] labels = new int[records];
        decode(file, content, pixels, labels, 0);
        return Dataset.images(name, records, CHANNELS, SIDE, SIDE, pixels, labels, CLASSES);
    }

    /**
     * Loads the six files from {@code datasetDir} or its {@link #SUBFOLDER}: the five training batches concatenated in
     * order ({@code "<name>/train"}) and the test batch ({@code "<name>/test"}). Every file must hold exactly
     * {@code recordsPerFile} records ({@link #RECORDS_PER_FILE} for the real data; tests pass small counts). All sizes
     * are checked before anything is read.
     */
    static DataSplit load(Path datasetDir, String name, int recordsPerFile) {
        Path folder = locate(datasetDir);
        checkSizes(folder, recordsPerFile);
        Dataset train = read(folder, TRAIN_FILES, name + "/train", recordsPerFile);
        Dataset test = read(folder, List.of(TEST_FILE), name + "/test", recordsPerFile);
        return new DataSplit(train, test);
    }

    /** The folder that holds all six files: {@code datasetDir} or its {@link #SUBFOLDER}; null when neither does. */
    static Path find(Path datasetDir) {
        for (Path candidate : candidates(datasetDir)) {
            if (present(candidate).size() == FILES.size()) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Like {@link #find} but a missing file is a {@link DataException} that says where it looked and where to put the
     * files; when some files are there, it names the first missing one in the folder that holds more of them.
     */
    static Path locate(Path datasetDir) {
        Path found = find(datasetDir);
        if (found != null) {
            return found;
        }
        Path best = datasetDir;
        List<String> bestPresent = List.of();
        for (Path candidate : candidates(datasetDir)) {
            List<String> present = present(candidate);
            if (present.size() > bestPresent.size()) {
                best = candidate;
                bestPresent = present;
            }
        }
        String steps = howToObtain(datasetDir) + hint(datasetDir);
        if (bestPresent.isEmpty()) {
            throw new DataException("cifar10 cannot be fetched on this machine and none of its files are in "
                    + datasetDir + " or " + datasetDir.resolve(SUBFOLDER) + ": " + steps);
        }
        List<String> missing = new ArrayList<>(FILES);
        missing.removeAll(bestPresent);
        String also = missing.size() == 1 ? "" : "also missing: " + String.join(", ", missing.subList(1,
                missing.size())) + "; ";
        throw new DataException(best.resolve(missing.get(0)), "missing (" + also + "looked in " + datasetDir + " and "
                + datasetDir.resolve(SUBFOLDER) + "); cifar10 cannot be fetched on this machine: " + steps);
    }

    /** What to do to get the files, for messages: download them and put them in {@code datasetDir}. */
    static String howToObtain(Path datasetDir) {
        return "download the CIFAR-10 binary version (cifar-10-binary.tar.gz) and put data_batch_1.bin to "
                + "data_batch_5.bin and test_batch.bin in " + datasetDir + "/ (or in " + datasetDir.resolve(SUBFOLDER)
                + "/)";
    }

    /** Checks that every file has the size of {@code recordsPerFile} records, without reading them. */
    static void checkSizes(Path folder, int recordsPerFile) {
        for (String f : FILES) {
            Path file = folder.resolve(f);
            checkRecords(file, size(file), recordsPerFile);
        }
    }

    private static Dataset read(Path folder, List<String> files, String name, int recordsPerFile) {
        int count = files.size() * recordsPerFile;
        float[] pixels = new float[count * IMAGE_BYTES];
        int[] labels = new int[count];
        for (int i = 0; i < files.size(); i++) {
            Path file = folder.resolve(files.get(i));
            byte[] content = IdxReader.readFile(file);
            checkRecords(file, content.length, recordsPerFile); // it may have changed since its size was checked
            decode(file, content, pixels, labels, i * recordsPerFile);
        }
        return Dataset.images(name, count, CHANNELS, SIDE, SIDE, pixels, labels, CLASSES);
    }

    /** Decodes every record of {@code content} into {@code pixels} and {@code labels} from sample {@code first}. */
    private static void decode(Path file, byte[] content, float[] pixels, int[] labels, int first) {
        int records = content.length / RECORD_BYTES;
        for (int r = 0; r < records; r++) {
            int at = r * RECORD_BYTES;
            int label = content[at] & 0xFF;
            if (label >= CLASSES) {
                throw new DataException(file, "record " + r + " (byte offset " + at + ") has label " + label
                        + ", expected 0.." + (CLASSES - 1) + "; not a CIFAR-10 binary batch file?");
            }
            labels[first + r] = label;
            int out = (first + r) * IMAGE_BYTES;
            for (int i = 0; i < IMAGE_BYTES; i++) {
                pixels[out + i] = SCALE[content[at + 1 + i] & 0xFF];
            }
        }
    }

    /** The number of records in a file of {@code bytes} bytes, which must be a positive multiple of 3073. */
    private static int records(Path file, long bytes) {
        if (bytes == 0) {
            throw new DataException(file, "empty file (0 bytes), expected " + RECORD_BYTES + "-byte CIFAR-10 records");
        }
        if (bytes % RECORD_BYTES != 0) {
            String cifar100 = bytes % (RECORD_BYTES + 1) == 0
                    ? " (its size fits the 3074-byte records of CIFAR-100, which uff4j does not read)" : "";
            throw new DataException(file, "has " + bytes + " bytes, not a whole number of " + RECORD_BYTES
                    + "-byte records (1 label byte + " + IMAGE_BYTES + " pixel bytes): truncated or not a CIFAR-10 "
                    + "binary batch file" + cifar100);
        }
        return (int) (bytes / RECORD_BYTES);
    }

    private static void checkRecords(Path file, long bytes, int expected) {
        int records = records(file, bytes);
        if (records != expected) {
            throw new DataException(file, "has " + records + " records (" + bytes + " bytes), expected " + expected
                    + " (" + (long) expected * RECORD_BYTES + " bytes) like every CIFAR-10 batch file");
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "missing (no such file)");
        } catch (IOException e) {
            throw new DataException(file, "cannot read it: " + e, e);
        }
    }

    private static List<Path> candidates(Path datasetDir) {
        return List.of(datasetDir, datasetDir.resolve(SUBFOLDER));
    }

    /** Which of the six files are regular files in {@code folder}. */
    private static List<String> present(Path folder) {
        List<String> present = new ArrayList<>();
        for (String f : FILES) {
            if (Files.isRegularFile(folder.resolve(f))) {
                present.add(f);
            }
        }
        return present;
    }

    /** A remark on a likely mix-up (the archive not unpacked, the Python version), starting with "; ", or "". */
    private static String hint(Path datasetDir) {
        for (Path candidate : candidates(datasetDir)) {
            if (Files.exists(candidate.resolve("cifar-10-binary.tar.gz"))) {
                return "; unpack " + candidate.resolve("cifar-10-binary.tar.gz") + " first (cd " + candidate
                        + " && tar xzf cifar-10-binary.tar.gz)";
            }
        }
        if (Files.exists(datasetDir.resolve("cifar-10-batches-py"))
                || Files.exists(datasetDir.resolve("data_batch_1"))) {
            return "; the Python version of CIFAR-10 there is not what uff4j reads";
        }
        return "";
    }
}
