package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pair loop and the single-element path give every element the same value, whatever the row split: rows of odd
 * length put pairs across row boundaries, and thread counts 1 and 3 split the rows differently.
 */
class NoiseKernelTest {
    @Test
    void everyElementMatchesItsSingleElementValueForAnySplit() {
        int rows = 37;
        int cols = 513;
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 17f;
        }
        Noise noise = new Noise(0.3f, 0.2f);
        long key = NoiseKernel.streamKey(11, 5);
        for (int threads : new int[] {1, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                NoiseKernel kernel = new NoiseKernel(pool);
                CpuTensor out = new CpuTensor(new float[x.length], 0, rows, cols);
                kernel.apply(new CpuTensor(x, 0, rows, cols), noise, 11, 5, out);
                for (int i = 0; i < x.length; i++) {
                    float expected = NoiseKernel.corrupt(x[i], key, i, 0.3f, 0.2f);
                    assertEquals(expected, out.data[i], "element " + i + " with " + threads + " threads");
                }
            }
        }
    }
}
