package dev.uff4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Loads the real datasets from {@code -Duff4j.data} (surefire sets it to {@code <repo>/data}). Absent files skip the
 * test with the reason, except MNIST under {@code -Duff4j.requireData=true} (CI), where they fail it: CI always
 * fetches MNIST, and Fashion-MNIST when the machine's apt can reach its package. CIFAR-10 cannot be fetched: it is
 * tested only where someone has put its files in place.
 */
class RealDataTest {
    private static final int[] MNIST_TRAIN = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] MNIST_TEST = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    @Test
    void mnist() {
        DataSplit split = loadOrSkip(DatasetId.MNIST);
        checkShapes(split);
        assertArrayEquals(MNIST_TEST, split.test().classCounts());
        assertArrayEquals(MNIST_TRAIN, split.train().classCounts());
    }

    @Test
    void fashionMnist() {
        DataSplit split = loadOrSkip(DatasetId.FASHION_MNIST);
        checkShapes(split);
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, split.test().classCounts()[c], "test class " + c);
            assertEquals(6000, split.train().classCounts()[c], "train class " + c);
        }
    }

    @Test
    void cifar10() {
        DataSplit split = loadOrSkip(DatasetId.CIFAR10);
        assertEquals(50000, split.train().count());
        assertEquals(10000, split.test().count());
        for (Dataset set : new Dataset[] {split.train(), split.test()}) {
            assertEquals(3, set.channels());
            assertEquals(32, set.height());
            assertEquals(32, set.width());
            assertEquals(3072, set.features());
            for (int c = 0; c < 10; c++) {
                assertEquals(set.count() / 10, set.classCounts()[c], set.name() + " class " + c);
            }
        }
    }

    private static DataSplit loadOrSkip(DatasetId id) {
        Path dir = DataFetcherTest.realDataDir();
        if (!DataFetcher.isPresent(id, dir)) {
            String reason = id + " is not in " + dir.toAbsolutePath() + "; " + (id.fetchable()
                    ? "run '" + id.fetchCommand() + "'" : DataFetcher.missingHint(id, dir));
            if (id == DatasetId.MNIST && Boolean.getBoolean("uff4j.requireData")) {
                fail(reason + " (uff4j.requireData=true)");
            }
            Assumptions.assumeTrue(false, reason);
        }
        return Datasets.load(id, dir);
    }

    private static void checkShapes(DataSplit split) {
        for (Dataset set : new Dataset[] {split.train(), split.test()}) {
            assertEquals(1, set.channels());
            assertEquals(28, set.height());
            assertEquals(28, set.width());
            assertEquals(784, set.features());
            assertEquals(10, set.classes());
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : set.values()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min, set.name());
            assertEquals(1f, max, set.name());
            assertTrue(set.values().length == set.count() * 784);
        }
        assertEquals(60000, split.train().count());
        assertEquals(10000, split.test().count());
    }
}
