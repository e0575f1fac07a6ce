package dev.uff4j.backend.cpu;

import org.junit.jupiter.api.Assumptions;

/**
 * Worker pools of 1, 2 and 3 threads for the tests that hold {@code VectorGemm}'s companions ({@link SparseGemm},
 * {@link DirectConv}) to its bits on every thread count; without the Vector API module such a test is skipped, with
 * the reason.
 */
final class VectorPools {
    private VectorPools() {
    }

    /** The pools, after skipping the calling test class when the Vector API is not loaded. */
    static WorkerPool[] start() {
        Assumptions.assumeTrue(Gemms.vectorApiAvailable(), "the Vector API module is not loaded (VectorGemm only)");
        return new WorkerPool[] {new WorkerPool(1), new WorkerPool(2), new WorkerPool(3)};
    }

    /** Closes what {@link #start} returned (nothing when it skipped). */
    static void close(WorkerPool[] pools) {
        if (pools != null) {
            for (WorkerPool p : pools) {
                p.close();
            }
        }
    }
}
