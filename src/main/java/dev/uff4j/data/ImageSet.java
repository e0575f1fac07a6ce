package dev.uff4j.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A labelled set of images held in memory.
 *
 * @param name     what it is, for messages and reports, e.g. {@code "mnist/train"}
 * @param count    number of samples
 * @param channels channels per image (1 for MNIST)
 * @param height   rows per image
 * @param width    columns per image
 * @param pixels   {@code count x features()} values, row-major (sample, channel, row, column), scaled to [0, 1]
 * @param labels   {@code count} class indices in {@code [0, classes)}
 * @param classes  number of classes
 */
public record ImageSet(String name, int count, int channels, int height, int width, float[] pixels, int[] labels,
                       int classes) {

    public ImageSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        if (count < 1 || channels < 1 || height < 1 || width < 1 || classes < 1) {
            throw new IllegalArgumentException(name + ": count, channels, height, width and classes must be >= 1, got "
                    + count + ", " + channels + ", " + height + ", " + width + ", " + classes);
        }
        long expected = (long) count * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": pixels has " + pixels.length + " values, expected " + count
                    + " x " + channels + "x" + height + "x" + width + " = " + expected);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(name + ": labels has " + labels.length + " values, expected " + count);
        }
        for (int i = 0; i < count; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " at index " + i
                        + " is out of range, expected 0.." + (classes - 1));
            }
        }
    }

    /** Values per sample: {@code channels * height * width}. */
    public int features() {
        return channels * height * width;
    }

    /**
     * The first {@code n} samples, for {@code --limit}: a copy, or this set when {@code n == count}. {@code n} must be
     * in {@code [1, count]}.
     */
    public ImageSet head(int n) {
        if (n < 1 || n > count) {
            throw new IllegalArgumentException(name + ": cannot take the first " + n + " samples of " + count
                    + ", expected 1.." + count);
        }
        if (n == count) {
            return this;
        }
        return new ImageSet(name, n, channels, height, width, Arrays.copyOf(pixels, n * features()),
                Arrays.copyOf(labels, n), classes);
    }

    /** How many samples each class has. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return name + " (" + count + " x " + channels + "x" + height + "x" + width + ", " + classes + " classes)";
    }
}
