package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CPU's normal draws: the float transform ({@link FloatNormals}) within float rounding of the double one (which
 * the CUDA kernel computes), its Vector API twin bit for bit equal to it, and every element's noise the same whatever
 * the row split (rows of odd length put pairs across row boundaries; 1 and 3 threads split the rows differently).
 */
class NoiseKernelsTest {
    private static final int ROWS = 37;
    private static final int COLS = 513;

    /** The double-precision transform of element i, as the CUDA kernel and Reference64 compute it. */
    private static double doubleNormal(long key, int i) {
        long r1 = NoiseKernels.pairBits(key, i >>> 1);
        double a = NoiseKernels.angle(r1);
        return NoiseKernels.radius(r1) * ((i & 1) == 1 ? Math.sin(a) : Math.cos(a));
    }

    private static float[] corrupted(NoiseKernels.Normals normals, int threads, float[] x, Noise noise) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            CpuTensor out = new CpuTensor(new float[x.length], 0, ROWS, COLS);
            new NoiseKernels.Corrupt(pool, normals).apply(new CpuTensor(x, 0, ROWS, COLS), noise, 11, 5, out);
            return out.data;
        }
    }

    private static float[] normals(NoiseKernels.Normals normals, int threads) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            CpuTensor out = new CpuTensor(new float[ROWS * COLS], 0, ROWS, COLS);
            new NoiseKernels.Randn(pool, normals).apply(out, 0.5f, 2f, 11, 5);
            return out.data;
        }
    }

    private static float[] input() {
        float[] x = new float[ROWS * COLS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 17) / 17f;
        }
        return x;
    }

    @Test
    void theFloatTransformIsWithinFloatRoundingOfTheDoubleOne() {
        NoiseKernels.Normals f = new FloatNormals();
        long key = Noise.streamKey(21, 3);
        int pairs = 200_000;
        float[] n0 = new float[pairs];
        float[] n1 = new float[pairs];
        f.fill(key, 0, pairs, n0, n1, new float[pairs], new float[pairs]);
        double worst = 0;
        for (int q = 0; q < pairs; q++) {
            worst = Math.max(worst, Math.abs(n0[q] - doubleNormal(key, 2 * q)));
            worst = Math.max(worst, Math.abs(n1[q] - doubleNormal(key, 2 * q + 1)));
        }
        assertTrue(worst < 2e-6, "largest difference from the double transform: " + worst);
        // the extremes of the 24-bit uniforms: u1 = 2^-24 (radius 5.77) and u1 = 1 (radius 0)
        assertEquals(Math.sqrt(-2 * Math.log(0x1.0p-24)), FloatNormals.radius(0), 2e-6);
        assertEquals(0f, FloatNormals.radius((1 << 24) - 1));
        assertEquals(1f, FloatNormals.cos(0));
        assertEquals(0f, FloatNormals.sin(0));
        assertEquals(-1f, FloatNormals.cos(1 << 23), 1e-7);
    }

    @Test
    void theVectorTransformIsTheFloatTransformBitForBit() {
        Assumptions.assumeTrue(Gemms.vectorApiAvailable(), "the Vector API module is not loaded");
        NoiseKernels.Normals vector = NoiseKernels.normals();
        int g = vector.group();
        assertTrue(g > 1, "the Vector API draws: " + vector.getClass().getSimpleName());
        long key = Noise.streamKey(5, 8);
        int pairs = 4 * g;
        float[] v0 = new float[pairs];
        float[] v1 = new float[pairs];
        float[] f0 = new float[pairs];
        float[] f1 = new float[pairs];
        float[] s0 = new float[pairs];
        float[] s1 = new float[pairs];
        // interpreted, then C1, then C2 (some 10,000 calls): the same bits throughout
        for (int round = 0; round < 12_000; round++) {
            vector.fill(key, (long) round * pairs, pairs, v0, v1, s0, s1);
            new FloatNormals().fill(key, (long) round * pairs, pairs, f0, f1, s0, s1);
            assertArrayEquals(f0, v0, "round " + round);
            assertArrayEquals(f1, v1, "round " + round);
        }
    }

    /** corrupt and randn draw each element's noise from its pair alone, whatever the split into rows and threads. */
    @Test
    void corruptAndRandnGiveEveryElementTheSameNoiseForAnySplit() {
        long key = Noise.streamKey(11, 5);
        float[] x = input();
        Noise noise = new Noise(0.3f, 0.2f);
        NoiseKernels.Normals normals = NoiseKernels.normals();
        float[] one = corrupted(normals, 1, x, noise);
        assertArrayEquals(one, corrupted(normals, 3, x, noise), "the same bits for 1 and 3 threads");
        assertArrayEquals(one, corrupted(new FloatNormals(), 3, x, noise), "scalar or vector, the same bits");
        float[] z = normals(normals, 1);
        assertArrayEquals(z, normals(normals, 3));
        for (int i = 0; i < x.length; i++) {
            long r2 = Noise.mix64(NoiseKernels.pairBits(key, i >>> 1));
            boolean masked = NoiseKernels.uniform24((i & 1) == 1 ? r2 & 0xFFFFFFL : r2 >>> 40) < 0.2f;
            assertEquals(masked, one[i] == 0f && x[i] + 0.3 * doubleNormal(key, i) != 0, "element " + i + " masked");
            if (!masked) {
                assertEquals(x[i] + 0.3 * doubleNormal(key, i), one[i], 2e-6, "element " + i);
            }
            assertEquals(0.5 + 2 * doubleNormal(key, i), z[i], 5e-6, "normal " + i);
        }
    }
}
