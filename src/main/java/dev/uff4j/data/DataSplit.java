package dev.uff4j.data;

import java.util.Objects;

/** A dataset's training and test sets; both have the same image shape and classes. */
public record DataSplit(ImageSet train, ImageSet test) {
    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.channels() != test.channels() || train.height() != test.height() || train.width() != test.width()
                || train.classes() != test.classes()) {
            throw new IllegalArgumentException("train and test differ in shape or classes: " + train + " vs " + test);
        }
    }
}
