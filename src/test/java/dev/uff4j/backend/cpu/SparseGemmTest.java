package dev.uff4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sparse products are, bit for bit, the dense {@code VectorGemm} products they replace: A·B and Aᵀ·B on awkward
 * sizes (k below, at and above one summation block, {@code VectorGemm.KC_MAX} = 256), densities from all zeros to
 * all nonzeros, offsets into larger arrays, and 1, 2 and 3 threads; and both are within float rounding of a float64
 * reference. Also the backend's density estimate that chooses between them.
 */
class SparseGemmTest {
    private static WorkerPool[] pools;

    @BeforeAll
    static void startPools() {
        pools = VectorPools.start();
    }

    @AfterAll
    static void closePools() {
        VectorPools.close(pools);
    }

    private static float[] sparseMatrix(SplittableRandom r, int size, double density, int pad) {
        float[] a = new float[size + pad];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() < density ? (float) (r.nextDouble() * 2 - 1) : 0f;
        }
        return a;
    }

    @Test
    void sparseProductsAreTheDenseProductsBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {7, 17, 5}, {33, 50, 256}, {130, 97, 300}, {16, 48, 700}, {5, 129, 257}};
        double[] densities = {0, 0.03, 0.2, 1};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (double density : densities) {
                int aOff = 3;
                int bOff = 5;
                int cOff = 2;
                float[] a = sparseMatrix(r, aOff + m * k, density, 0);      // m x k, or k x m for Aᵀ
                float[] b = sparseMatrix(r, bOff + k * n, 1, 0);
                Arrays.fill(a, 0, aOff, Float.NaN);                          // outside the operands: never read
                Arrays.fill(b, 0, bOff, Float.NaN);
                for (boolean trans : new boolean[] {false, true}) {
                    float[] dense = new float[cOff + m * n + 4];
                    Gemm gemm = Gemms.create("vector", pools[0]);
                    gemm.multiply(trans, false, m, n, k, a, aOff, trans ? m : k, b, bOff, n, false, dense, cOff, n);
                    check64(trans, m, n, k, a, aOff, b, bOff, dense, cOff);
                    for (WorkerPool pool : pools) {
                        SparseGemm sparse = Gemms.sparseFor(Gemms.create("vector", pool), pool);
                        float[] c = new float[dense.length];
                        Arrays.fill(c, -7.25f);
                        Arrays.fill(c, 0, cOff, 0f);
                        Arrays.fill(c, cOff + m * n, c.length, 0f);
                        if (trans) {
                            sparse.sparseTransA(m, n, k, a, aOff, b, bOff, c, cOff);
                        } else {
                            sparse.sparseA(m, n, k, a, aOff, b, bOff, c, cOff);
                        }
                        assertArrayEquals(dense, c, (trans ? "Aᵀ·B " : "A·B ") + m + "x" + n + "x" + k + " density "
                                + density + ", " + pool.threads() + " threads");
                    }
                }
            }
        }
    }

    /** Within (k + 1)·2^-24 of the float64 sum of |terms|: a dropped or doubled term is far outside. */
    private static void check64(boolean trans, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                                float[] c, int cOff) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double t = (double) a[aOff + (trans ? p * m + i : i * k + p)] * b[bOff + p * n + j];
                    sum += t;
                    abs += Math.abs(t);
                }
                double got = c[cOff + i * n + j];
                assertTrue(Math.abs(got - sum) <= (k + 1) * 0x1p-24 * abs + 1e-30,
                        "C[" + i + "," + j + "] = " + got + ", float64 " + sum);
            }
        }
    }

    @Test
    void densityIsExactForSmallTensorsAndCloseForLargeOnes() {
        float[] small = new float[100];
        for (int i = 0; i < 7; i++) {
            small[i * 13] = 1f;
        }
        assertEquals(0.07f, MemoryKernels.density(new CpuTensor(small, 0, 10, 10)), 1e-7);
        // 128 x 500 with 5% of each column nonzero (as lifetime sparsity leaves a latent), and 50% (ReLU)
        SplittableRandom r = new SplittableRandom(3);
        for (double d : new double[] {0.05, 0.5}) {
            float[] big = sparseMatrix(r, 128 * 500, d, 9);
            float estimate = MemoryKernels.density(new CpuTensor(big, 9, 128, 500));
            assertEquals(d, estimate, 0.03, "density " + d);
        }
    }
}
