package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Backends;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.data.Dataset;
import dev.uff4j.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model frees its tensors when it closes, not only when the backend does: training many models in a row on one
 * backend does not grow its memory.
 */
class ModelLifecycleTest {
    private static final ModelKind[] KINDS = {ModelKind.AE, ModelKind.DAE, ModelKind.GAN, ModelKind.BP, ModelKind.FF};

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(4);
        float[][] rows = new float[64][36];
        int[] labels = new int[64];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = r.nextInt(3);
            for (int j = 0; j < 36; j++) {
                rows[i][j] = (float) r.nextDouble();
            }
        }
        return Dataset.of(rows, labels).asImages(1, 6, 6);
    }

    /** Builds, trains for one epoch and closes one model of each kind, 20 in all. */
    private static void trainTwenty(Backend backend, Runnable afterEach) {
        Dataset d = data();
        for (int i = 0; i < 20; i++) {
            ModelKind kind = KINDS[i % KINDS.length];
            ModelSpec spec = new ModelSpecBuilder(kind, 36, 3).hidden(24).batch(16).seed(i).build();
            try (Model model = Models.create(backend, spec); Trainer trainer = new Trainer(backend, model)) {
                trainer.train(d, d, 1, dev.uff4j.train.Progress.NONE);
            }
            afterEach.run();
        }
    }

    @Test
    void twentyModelsInARowLeaveTheCpuBackendAsTheyFoundIt() {
        try (CpuBackend backend = new CpuBackend(2)) {
            long before = backend.allocatedBytes();
            long[] peak = {0};
            trainTwenty(backend, () -> peak[0] = Math.max(peak[0], backend.allocatedBytes()));
            assertEquals(before, backend.allocatedBytes(), "bytes still allocated after 20 closed models");
            // and the models did allocate: the count is not stuck at zero
            Model m = Models.create(backend, new ModelSpecBuilder(ModelKind.AE, 36, 3).hidden(24).build());
            assertTrue(backend.allocatedBytes() > before);
            m.close();
            m.close(); // twice is harmless
            assertEquals(before, backend.allocatedBytes());
        }
    }

    @Test
    void twentyModelsInARowDoNotGrowDeviceMemory() {
        try (Backend backend = Backends.openCuda(BackendOptions.cuda())) {
            trainTwenty(backend, () -> { });  // warm-up: the backend's own scratch buffers reach their sizes
            backend.synchronize();
            long free = backend.freeMemory();
            trainTwenty(backend, () -> { });
            backend.synchronize();
            long lost = free - backend.freeMemory();
            // the driver's free figure moves in pages of its own; one model here holds ~100 KiB
            assertTrue(lost < 2L << 20, "device memory lost over 20 models: " + lost + " bytes");
        }
    }

    @Test
    void freeTakesOnlyTensorsThatZerosMade() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Tensor t = backend.zeros(4, 4);
            assertEquals(64, backend.allocatedBytes());
            IllegalArgumentException view = assertThrows(IllegalArgumentException.class,
                    () -> backend.free(t.rowRange(0, 2)));
            assertTrue(view.getMessage().startsWith("free: CpuTensor[2x4] is a view or was freed before"),
                    view.getMessage());
            backend.free(t);
            assertEquals(0, backend.allocatedBytes());
            assertThrows(IllegalArgumentException.class, () -> backend.free(t));
        }
    }

    @Test
    void aScopeFreesWhatWasMadeThroughItAndLeavesTheRest() {
        try (CpuBackend backend = new CpuBackend(1)) {
            Tensor kept = backend.zeros(2, 2);
            BackendScope scope = new BackendScope(backend);
            scope.zeros(3, 3);
            Tensor freedEarly = scope.zeros(5, 5);
            scope.free(freedEarly);
            assertEquals(36, scope.ownedBytes());
            assertEquals(16 + 36, backend.allocatedBytes());
            scope.close();
            assertEquals(16, backend.allocatedBytes());
            assertThrows(IllegalStateException.class, () -> scope.zeros(1, 1));
            backend.free(kept);
        }
    }
}
