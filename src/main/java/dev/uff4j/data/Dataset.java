package dev.uff4j.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Samples held in memory: {@code count} rows of {@code features} floats, with or without class labels. Images keep
 * their shape ({@code channels x height x width}, row-major per sample) so that convolutional cells and augmentation
 * can use it; rows from arrays or CSV are {@code 1 x 1 x features}.
 *
 * <p>Build one from arrays with {@link #of(float[][])} (unlabelled) or {@link #of(float[][], int[])}, from a CSV file
 * with {@link CsvReader}, or load a standard dataset with {@link Datasets}. A dataset is immutable in the sense that
 * every operation ({@link #slice}, {@link #split}, {@link #shuffle}, ...) returns a new one; the arrays it is built
 * from are copied when it is made from {@code float[][]} rows, and held as they are by {@link #images}, whose caller
 * hands them over.
 *
 * <p>Unlabelled data trains a UFF model's cells (each cell's loss needs no label); a head, an accuracy or a class
 * count need labels, and asking for them on an unlabelled dataset is an {@link IllegalStateException}.
 */
public final class Dataset {
    private final String name;
    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final float[] values;
    private final int[] labels;
    private final int classes;
    private final List<String> classNames;

    private Dataset(String name, int count, int channels, int height, int width, float[] values, int[] labels,
                    int classes, List<String> classNames) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        if (count < 1 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": count, channels, height and width must be >= 1, got "
                    + count + ", " + channels + ", " + height + ", " + width);
        }
        long expected = (long) count * channels * height * width;
        if (values.length != expected) {
            throw new IllegalArgumentException(name + ": " + values.length + " values, expected " + count + " x "
                    + channels + "x" + height + "x" + width + " = " + expected);
        }
        if (labels != null) {
            if (classes < 1) {
                throw new IllegalArgumentException(name + ": classes must be >= 1 for labelled data, got " + classes);
            }
            if (labels.length != count) {
                throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + count + " samples");
            }
            for (int i = 0; i < count; i++) {
                if (labels[i] < 0 || labels[i] >= classes) {
                    throw new IllegalArgumentException(name + ": label " + labels[i] + " of sample " + i
                            + " is out of range, expected 0.." + (classes - 1));
                }
            }
        }
        if (classNames != null && !classNames.isEmpty() && classNames.size() != classes) {
            throw new IllegalArgumentException(name + ": " + classNames.size() + " class names for " + classes
                    + " classes");
        }
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.values = values;
        this.labels = labels;
        this.classes = labels == null ? 0 : classes;
        this.classNames = classNames == null || labels == null ? List.of() : List.copyOf(classNames);
    }

    // ------------------------------------------------------------------ making one

    /**
     * Unlabelled rows, copied.
     *
     * @param rows one array per sample, all of the same length (at least one sample of at least one value)
     * @return a dataset named {@code "rows"} without labels
     * @throws IllegalArgumentException if there are no rows or their lengths differ
     */
    public static Dataset of(float[][] rows) {
        return new Dataset("rows", rowCount(rows), 1, 1, rowLength(rows), flatten(rows), null, 0, null);
    }

    /**
     * Labelled rows, copied; the number of classes is the largest label plus one.
     *
     * @param rows   one array per sample, all of the same length
     * @param labels one class index (0, 1, ...) per row
     * @return a dataset named {@code "rows"}
     * @throws IllegalArgumentException if the lengths differ or a label is negative
     */
    public static Dataset of(float[][] rows, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        int max = -1;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return of(rows, labels, max + 1);
    }

    /**
     * Labelled rows, copied, with the number of classes given (some classes may have no sample here, as in a small
     * split of a larger set).
     *
     * @param rows    one array per sample, all of the same length
     * @param labels  one class index in {@code [0, classes)} per row
     * @param classes the number of classes
     * @return a dataset named {@code "rows"}
     * @throws IllegalArgumentException if the lengths differ or a label is out of range
     */
    public static Dataset of(float[][] rows, int[] labels, int classes) {
        Objects.requireNonNull(labels, "labels");
        return new Dataset("rows", rowCount(rows), 1, 1, rowLength(rows), flatten(rows), labels.clone(), classes,
                null);
    }

    /**
     * Images (or any samples) from one flat array, which the dataset holds without copying: the caller must not
     * change it afterwards.
     *
     * @param name     what the set is, for messages and reports, e.g. {@code "mnist/train"}
     * @param count    number of samples
     * @param channels channels per image (1 for gray-scale)
     * @param height   rows per image
     * @param width    columns per image
     * @param values   {@code count x channels x height x width} values, sample-major, then channel, row, column
     * @param labels   {@code count} class indices in {@code [0, classes)}, or null for unlabelled images
     * @param classes  number of classes (ignored when {@code labels} is null)
     * @return the dataset
     * @throws IllegalArgumentException if a size does not match or a label is out of range
     */
    public static Dataset images(String name, int count, int channels, int height, int width, float[] values,
                                 int[] labels, int classes) {
        return new Dataset(name, count, channels, height, width, values, labels, classes, null);
    }

    /**
     * This data under another name (for messages and reports).
     *
     * @param newName the name, e.g. {@code "iris/train"}
     * @return a dataset sharing this one's arrays
     */
    public Dataset withName(String newName) {
        return new Dataset(newName, count, channels, height, width, values, labels, classes, classNames);
    }

    /**
     * This data with the classes named: {@code names.get(k)} is class {@code k} (the CSV reader names the classes of
     * a text label column this way).
     *
     * @param names one name per class
     * @return a dataset sharing this one's arrays
     * @throws IllegalStateException if this dataset has no labels
     */
    public Dataset withClassNames(List<String> names) {
        requireLabels("class names");
        return new Dataset(name, count, channels, height, width, values, labels, classes, names);
    }

    /**
     * The same samples seen as images of {@code channels x height x width}, for convolutional cells or shift
     * augmentation.
     *
     * @param newChannels channels per image
     * @param newHeight   rows per image
     * @param newWidth    columns per image
     * @return a dataset sharing this one's arrays
     * @throws IllegalArgumentException if the product is not {@link #features()}
     */
    public Dataset asImages(int newChannels, int newHeight, int newWidth) {
        if ((long) newChannels * newHeight * newWidth != features()) {
            throw new IllegalArgumentException(name + ": " + newChannels + "x" + newHeight + "x" + newWidth
                    + " images need " + (long) newChannels * newHeight * newWidth + " values per sample, the data "
                    + "has " + features());
        }
        return new Dataset(name, count, newChannels, newHeight, newWidth, values, labels, classes, classNames);
    }

    /**
     * The samples without their labels (to train cells on, say).
     *
     * @return a dataset sharing this one's values
     */
    public Dataset withoutLabels() {
        return new Dataset(name, count, channels, height, width, values, null, 0, null);
    }

    // ------------------------------------------------------------------ what it holds

    /**
     * What the set is, for messages and reports.
     *
     * @return the name, e.g. {@code "mnist/train"}
     */
    public String name() {
        return name;
    }

    /**
     * The number of samples.
     *
     * @return at least 1
     */
    public int count() {
        return count;
    }

    /**
     * Values per sample: {@code channels * height * width}.
     *
     * @return the row length
     */
    public int features() {
        return channels * height * width;
    }

    /**
     * Channels per image; 1 for rows from arrays or CSV.
     *
     * @return the channel count
     */
    public int channels() {
        return channels;
    }

    /**
     * Rows per image; 1 for rows from arrays or CSV.
     *
     * @return the image height
     */
    public int height() {
        return height;
    }

    /**
     * Columns per image; {@link #features()} for rows from arrays or CSV.
     *
     * @return the image width
     */
    public int width() {
        return width;
    }

    /**
     * Whether every sample has a class label.
     *
     * @return true for labelled data
     */
    public boolean labelled() {
        return labels != null;
    }

    /**
     * The number of classes.
     *
     * @return at least 1 for labelled data, 0 for unlabelled data
     */
    public int classes() {
        return classes;
    }

    /**
     * The names of the classes, when they have names (a CSV column of text labels, say).
     *
     * @return one name per class, or an empty list
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * The backing array of all values, sample after sample: not a copy, so that training reads it without copying.
     * Do not modify it.
     *
     * @return {@code count x features} values
     */
    public float[] values() {
        return values;
    }

    /**
     * The backing array of labels: not a copy. Do not modify it.
     *
     * @return {@code count} class indices
     * @throws IllegalStateException if the dataset is unlabelled
     */
    public int[] labels() {
        requireLabels("labels");
        return labels;
    }

    /**
     * One sample, copied.
     *
     * @param index the sample, in {@code [0, count)}
     * @return its {@link #features()} values
     */
    public float[] row(int index) {
        Objects.checkIndex(index, count);
        int f = features();
        return Arrays.copyOfRange(values, index * f, (index + 1) * f);
    }

    /**
     * All samples, copied, as one array per sample.
     *
     * @return {@code count} arrays of {@link #features()} values
     */
    public float[][] rows() {
        float[][] rows = new float[count][];
        for (int i = 0; i < count; i++) {
            rows[i] = row(i);
        }
        return rows;
    }

    /**
     * One sample's label.
     *
     * @param index the sample, in {@code [0, count)}
     * @return its class index
     * @throws IllegalStateException if the dataset is unlabelled
     */
    public int label(int index) {
        requireLabels("labels");
        return labels[Objects.checkIndex(index, count)];
    }

    /**
     * How many samples each class has.
     *
     * @return {@link #classes()} counts
     * @throws IllegalStateException if the dataset is unlabelled
     */
    public int[] classCounts() {
        requireLabels("class counts");
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    // ------------------------------------------------------------------ parts of it

    /**
     * Samples {@code [from, to)}, copied.
     *
     * @param from first sample, inclusive
     * @param to   last sample, exclusive; {@code from < to <= count}
     * @return a dataset of {@code to - from} samples with the same shape and classes
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > count || from >= to) {
            throw new IllegalArgumentException(name + ": cannot slice [" + from + ", " + to + ") of " + count
                    + " samples, expected 0 <= from < to <= " + count);
        }
        if (from == 0 && to == count) {
            return this;
        }
        int f = features();
        return new Dataset(name, to - from, channels, height, width,
                Arrays.copyOfRange(values, from * f, to * f),
                labels == null ? null : Arrays.copyOfRange(labels, from, to), classes, classNames);
    }

    /**
     * The first {@code n} samples (what {@code --limit} takes): this set when {@code n == count}, else a copy.
     *
     * @param n how many, in {@code [1, count]}
     * @return the first {@code n} samples
     */
    public Dataset head(int n) {
        if (n < 1 || n > count) {
            throw new IllegalArgumentException(name + ": cannot take the first " + n + " samples of " + count
                    + ", expected 1.." + count);
        }
        return slice(0, n);
    }

    /**
     * Two parts, in order: the first {@code round(fraction * count)} samples and the rest. Shuffle first (see
     * {@link #shuffle}) for a random split.
     *
     * @param fraction the first part's share, strictly between 0 and 1, leaving at least one sample in each part
     * @return the two parts
     */
    public Split split(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException(name + ": split fraction must be in (0, 1), got " + fraction);
        }
        int first = (int) Math.round(fraction * count);
        if (first < 1 || first >= count) {
            throw new IllegalArgumentException(name + ": a split of " + fraction + " of " + count
                    + " samples leaves a part empty");
        }
        return new Split(slice(0, first), slice(first, count));
    }

    /**
     * The two parts of a {@link #split}.
     *
     * @param first  the first samples
     * @param second the rest
     */
    public record Split(Dataset first, Dataset second) {
    }

    /**
     * The samples in a random order (a seeded Fisher-Yates shuffle, the same order for the same seed), copied.
     *
     * @param seed the seed
     * @return a shuffled copy
     */
    public Dataset shuffle(long seed) {
        int[] order = Shuffle.permutation(count, new SplittableRandom(seed));
        int f = features();
        float[] v = new float[values.length];
        int[] l = labels == null ? null : new int[count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(values, order[i] * f, v, i * f, f);
            if (l != null) {
                l[i] = labels[order[i]];
            }
        }
        return new Dataset(name, count, channels, height, width, v, l, classes, classNames);
    }

    @Override
    public String toString() {
        String shape = channels == 1 && height == 1 ? Integer.toString(width)
                : channels + "x" + height + "x" + width;
        return name + " (" + count + " x " + shape + ", " + (labels == null ? "unlabelled" : classes + " classes")
                + ")";
    }

    // ------------------------------------------------------------------ helpers

    private void requireLabels(String what) {
        if (labels == null) {
            throw new IllegalStateException(name + " has no labels, so no " + what);
        }
    }

    private static int rowCount(float[][] rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            throw new IllegalArgumentException("rows: a dataset needs at least one sample, got none");
        }
        return rows.length;
    }

    private static int rowLength(float[][] rows) {
        int n = Objects.requireNonNull(rows[0], "rows[0]").length;
        if (n == 0) {
            throw new IllegalArgumentException("rows: a sample needs at least one value, rows[0] has none");
        }
        for (int i = 1; i < rows.length; i++) {
            if (rows[i] == null) {
                throw new NullPointerException("rows[" + i + "] is null");
            }
            int m = rows[i].length;
            if (m != n) {
                throw new IllegalArgumentException("rows: rows[" + i + "] has " + m + " values, rows[0] has " + n);
            }
        }
        return n;
    }

    private static float[] flatten(float[][] rows) {
        int n = rows[0].length;
        if ((long) rows.length * n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("rows: " + rows.length + " x " + n + " values do not fit one array");
        }
        float[] flat = new float[rows.length * n];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * n, n);
        }
        return flat;
    }

    /** For {@link CsvReader}: a labelled or unlabelled set from the rows it parsed. */
    static Dataset fromParsed(String name, List<float[]> rows, int[] labels, int classes, List<String> classNames) {
        float[][] array = rows.toArray(new float[0][]);
        float[] flat = flatten(array);
        return new Dataset(name, array.length, 1, 1, array[0].length, flat, labels, classes,
                classNames == null ? null : new ArrayList<>(classNames));
    }
}
