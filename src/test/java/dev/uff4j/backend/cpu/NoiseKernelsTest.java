package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pair loops and the single-element path give every element the same value, whatever the row split: rows of odd
 * length put pairs across row boundaries, and thread counts 1 and 3 split the rows differently.
 */
class NoiseKernelsTest {
    private static final int ROWS = 37;
    private static final int COLS = 513;

    @Test
    void everyCorruptedElementMatchesItsSingleElementValueForAnySplit() {
        float[] x = new float[ROWS * COLS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 17f;
        }
        Noise noise = new Noise(0.3f, 0.2f);
        long key = Noise.streamKey(11, 5);
        for (int threads : new int[] {1, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                CpuTensor out = new CpuTensor(new float[x.length], 0, ROWS, COLS);
                new NoiseKernels.Corrupt(pool).apply(new CpuTensor(x, 0, ROWS, COLS), noise, 11, 5, out);
                for (int i = 0; i < x.length; i++) {
                    float expected = NoiseKernels.Corrupt.corruptOne(x[i], key, i, 0.3f, 0.2f);
                    assertEquals(expected, out.data[i], "element " + i + " with " + threads + " threads");
                }
            }
        }
    }

    /** randn's numbers are the Gaussian noise corrupt adds: mean + std · the same N(0, 1) per element. */
    @Test
    void everyNormalSampleMatchesItsSingleElementValueForAnySplit() {
        long key = Noise.streamKey(11, 5);
        for (int threads : new int[] {1, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                CpuTensor out = new CpuTensor(new float[ROWS * COLS], 0, ROWS, COLS);
                new NoiseKernels.Randn(pool).apply(out, 0.5f, 2f, 11, 5);
                for (int i = 0; i < ROWS * COLS; i++) {
                    float expected = 0.5f + 2f * NoiseKernels.normal(key, i);
                    assertEquals(expected, out.data[i], "element " + i + " with " + threads + " threads");
                }
            }
        }
    }
}
