package dev.uff4j.spark;

import dev.uff4j.data.Dataset;

import java.io.Serializable;
import java.util.Objects;

/**
 * One client's samples as plain arrays, to ship to Spark's executors (a {@link Dataset} is not serializable).
 *
 * @param name     the dataset's name, e.g. {@code mnist/train/client3}
 * @param count    samples
 * @param channels channels per sample
 * @param height   rows per sample
 * @param width    columns per sample
 * @param values   {@code count x channels x height x width} values, sample-major
 * @param labels   one label per sample
 * @param classes  number of classes
 */
record ClientData(String name, int count, int channels, int height, int width, float[] values, int[] labels,
                  int classes) implements Serializable {
    private static final long serialVersionUID = 1L;

    ClientData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(labels, "labels");
    }

    /**
     * The arrays of a labelled dataset (shared, not copied).
     *
     * @param d a labelled dataset
     * @return its arrays and shape
     */
    static ClientData of(Dataset d) {
        if (!d.labelled()) {
            throw new IllegalArgumentException(d.name() + ": federated averaging needs labelled samples");
        }
        return new ClientData(d.name(), d.count(), d.channels(), d.height(), d.width(), d.values(), d.labels(),
                d.classes());
    }

    /**
     * The samples as a dataset again, sharing these arrays (nothing writes to them).
     *
     * @return the dataset
     */
    Dataset dataset() {
        return Dataset.images(name, count, channels, height, width, values, labels, classes);
    }
}
