package dev.uff4j.data;

import java.util.Objects;

/**
 * A dataset's training and test sets; both have the same image shape and classes.
 *
 * @param train the training set
 * @param test  the test set: held out from training, same shape and classes
 */
public record DataSplit(Dataset train, Dataset test) {
    /**
     * Checks that the two sets agree.
     *
     * @param train the training set
     * @param test  the test set
     * @throws NullPointerException     when either set is null
     * @throws IllegalArgumentException when they differ in channels, height, width or number of classes
     */
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train and test differ in shape or classes: " + train + " vs " + test);
        }
    }
}
