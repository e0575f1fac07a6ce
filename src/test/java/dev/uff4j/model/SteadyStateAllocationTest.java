package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step allocates nothing once warm: the bytes allocated by the calling thread and the CPU backend's
 * workers over 200 steps stay under 1 KiB (one object per step would be at least 3.2 KB). Uses HotSpot's
 * per-thread allocation counters. The best of three windows counts: on a loaded machine a late recompilation can
 * run one call in the interpreter, where the Vector API boxes a few vectors once (about 2 KB seen in the full
 * suite), while an allocation in every step shows in every window.
 */
class SteadyStateAllocationTest {
    private static final int STEPS = 200;
    private static final int WINDOWS = 3;

    private static long allocatedBytes(List<Long> threadIds) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threadIds) {
            total += mx.getThreadAllocatedBytes(id);
        }
        return total;
    }

    private static List<Long> backendThreads() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("uff4j-cpu")) {
                ids.add(t.getId());
            }
        }
        return ids;
    }

    @Test
    void trainingStepsAllocateNothingOnceWarm() {
        for (ModelKind kind : TestKinds.DENSE) {
            ModelSpec spec = TestSpecs.spec(kind, 200, 10, 2, 256, new Epilogue(Activation.RELU, 30, true),
                    kind == ModelKind.DAE ? new Noise(0.2f, 0.1f) : Noise.NONE, 1e-4f, 64, HeadInput.ALL, 64, 1);
            try (Backend b = new CpuBackend(2)) {
                Model model = Models.create(b, spec);
                SplittableRandom r = new SplittableRandom(2);
                Tensor x = upload(b, uniform(r, 64 * 200, 0, 1), 64, 200);
                float[] y = new float[64];
                for (int i = 0; i < 64; i++) {
                    y[i] = r.nextInt(10);
                }
                Tensor labels = upload(b, y, 64, 1);
                for (int s = 0; s < 1000; s++) { // 300 was too few on a loaded machine: C2 finished later
                    model.trainBatch(0, x, labels); // warm-up: JIT, scratch buffers, worker start
                }
                List<Long> threads = backendThreads();
                long[] windows = new long[WINDOWS];
                for (int w = 0; w < WINDOWS; w++) {
                    long before = allocatedBytes(threads);
                    for (int s = 0; s < STEPS; s++) {
                        model.trainBatch(0, x, labels);
                    }
                    windows[w] = allocatedBytes(threads) - before;
                }
                assertTrue(Arrays.stream(windows).min().getAsLong() < 1024, kind + ": bytes allocated in windows of "
                        + STEPS + " steps: " + Arrays.toString(windows));
            }
        }
    }
}
