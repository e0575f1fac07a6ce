package dev.uff4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.ConvShape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct single-map convolution gives, bit for bit, what the lowering with {@code VectorGemm} gives: forward
 * (output and activation derivative) and backward (weight, bias and input gradients), on awkward shapes (one to
 * three summation blocks of taps, kernels 1, 3 and 5, every padding below the kernel, widths below, at and above a
 * vector), inputs with exact zeros as ReLU leaves them, tensors at offsets into larger arrays, and 1, 2 and 3
 * threads. The float64 references of the convolution (BackendOpsTest, ConvGradientCheckTest) then hold for it too.
 */
class DirectConvTest {
    private static WorkerPool[] pools;

    @BeforeAll
    static void startPools() {
        pools = VectorPools.start();
    }

    @AfterAll
    static void closePools() {
        VectorPools.close(pools);
    }

    /** rows x cols at offset 3 of a larger array whose other elements are NaN (never read, never written). */
    private static CpuTensor tensor(SplittableRandom r, int rows, int cols, double zeros, float scale) {
        float[] data = new float[3 + rows * cols + 5];
        Arrays.fill(data, Float.NaN);
        for (int i = 0; i < rows * cols; i++) {
            data[3 + i] = r.nextDouble() < zeros ? 0f : (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return new CpuTensor(data, 3, rows, cols);
    }

    private static CpuTensor like(CpuTensor t) {
        float[] data = new float[t.data.length];
        Arrays.fill(data, Float.NaN);
        return new CpuTensor(data, t.offset, t.rows(), t.cols());
    }

    @Test
    void directConvolutionIsTheLoweredOneBitForBit() {
        SplittableRandom r = new SplittableRandom(21);
        // (samples, channels, height, width, kernel, padding); patch 306 and 540 take two and three tap blocks
        int[][] shapes = {{1, 1, 1, 1, 1, 0}, {3, 3, 5, 7, 3, 1}, {2, 2, 9, 4, 3, 0}, {2, 4, 6, 17, 5, 2},
                {2, 3, 8, 8, 5, 4}, {2, 1, 30, 33, 3, 2}, {3, 5, 3, 20, 1, 0}, {2, 34, 6, 5, 3, 1}, {2, 60, 4, 4, 3, 1},
                {40, 32, 28, 28, 3, 1}};
        Activation[] acts = Activation.values();
        int shapeIndex = 0;
        for (int[] p : shapes) {
            ConvShape s = new ConvShape(p[1], p[2], p[3], 1, p[4], 1, p[5]);
            assertTrue(DirectConv.applies(s), s.toString());
            int n = p[0];
            Activation act = acts[shapeIndex++ % acts.length];
            CpuTensor x = tensor(r, n, s.inSize(), 0.5, 1f);
            CpuTensor w = tensor(r, 1, s.patch(), 0, 0.3f);
            CpuTensor b = tensor(r, 1, 1, 0, 0.2f);
            CpuTensor dz = tensor(r, n, s.outSize(), 0.1, 1f);
            float[][] expected = null;
            for (WorkerPool pool : pools) {
                Gemm gemm = Gemms.create("vector", pool);
                DirectConv direct = Gemms.directConvFor(gemm, pool);
                assertNotNull(direct);
                for (boolean useDirect : new boolean[] {false, true}) {
                    ConvKernels.Conv2d conv = new ConvKernels.Conv2d(pool, gemm, useDirect ? direct : null);
                    CpuTensor out = like(dz);
                    CpuTensor deriv = like(dz);
                    conv.forward(x, s, w, b, act, out, deriv);
                    CpuTensor dw = like(w);
                    CpuTensor db = like(b);
                    CpuTensor dx = like(x);
                    conv.backward(x, s, w, dz, dw, db, dx);
                    float[][] got = {out.data, deriv.data, dw.data, db.data, dx.data};
                    if (expected == null) {
                        expected = got;
                        continue;
                    }
                    String what = Arrays.toString(p) + " " + act + ", " + pool.threads() + " threads, "
                            + (useDirect ? "direct" : "lowered");
                    String[] names = {"output", "derivative", "dw", "db", "dx"};
                    for (int i = 0; i < got.length; i++) {
                        assertArrayEquals(expected[i], got[i], names[i] + " of " + what);
                    }
                }
            }
        }
    }

    /** A backend tensor holding {@code t}'s values. */
    private static CpuTensor copy(CpuBackend backend, CpuTensor t) {
        CpuTensor c = (CpuTensor) backend.zeros(t.rows(), t.cols());
        System.arraycopy(t.data, t.offset, c.data, c.offset, t.size());
        return c;
    }

    @Test
    void theBackendsConv2dForOneMapGivesTheLoweredBits() {
        // the default cae model's first decoder: 32 maps of 28 x 28 to one, sigmoid
        ConvShape s = new ConvShape(32, 28, 28, 1, 3, 1, 1);
        SplittableRandom r = new SplittableRandom(22);
        int n = 7;
        CpuTensor x = tensor(r, n, s.inSize(), 0.5, 1f);
        CpuTensor w = tensor(r, 1, s.patch(), 0, 0.06f);
        CpuTensor b = tensor(r, 1, 1, 0, 0.06f);
        CpuTensor dz = tensor(r, n, s.outSize(), 0, 1f);
        CpuTensor out = like(dz);
        CpuTensor deriv = like(dz);
        CpuTensor dw = like(w);
        CpuTensor db = like(b);
        CpuTensor dx = like(x);
        ConvKernels.Conv2d lowered = new ConvKernels.Conv2d(pools[0], Gemms.create("vector", pools[0]), null);
        lowered.forward(x, s, w, b, Activation.SIGMOID, out, deriv);
        lowered.backward(x, s, w, dz, dw, db, dx);
        try (CpuBackend backend = new CpuBackend(2, "vector")) {
            CpuTensor bOut = (CpuTensor) backend.zeros(n, s.outSize());
            CpuTensor bDeriv = (CpuTensor) backend.zeros(n, s.outSize());
            CpuTensor bDw = (CpuTensor) backend.zeros(1, s.patch());
            CpuTensor bDb = (CpuTensor) backend.zeros(1, 1);
            CpuTensor bDx = (CpuTensor) backend.zeros(n, s.inSize());
            CpuTensor bx = copy(backend, x);
            CpuTensor bw = copy(backend, w);
            backend.conv2dForward(bx, s, bw, copy(backend, b), Activation.SIGMOID, bOut, bDeriv);
            backend.conv2dBackward(bx, s, bw, copy(backend, dz), bDw, bDb, bDx);
            assertArrayEquals(copy(backend, out).data, bOut.data, "output");
            assertArrayEquals(copy(backend, deriv).data, bDeriv.data, "derivative");
            assertArrayEquals(copy(backend, dw).data, bDw.data, "dw");
            assertArrayEquals(copy(backend, db).data, bDb.data, "db");
            assertArrayEquals(copy(backend, dx).data, bDx.data, "dx");
        }
    }

    @Test
    void onlySingleMapStrideOneShapesRunDirectly() {
        assertTrue(DirectConv.applies(new ConvShape(32, 28, 28, 1, 3, 1, 1)));
        assertFalse(DirectConv.applies(new ConvShape(32, 28, 28, 2, 3, 1, 1)), "two output maps");
        assertFalse(DirectConv.applies(new ConvShape(32, 28, 28, 1, 3, 2, 1)), "stride 2");
        assertFalse(DirectConv.applies(new ConvShape(32, 28, 28, 1, 3, 1, 3)), "padding as large as the kernel");
        try (WorkerPool pool = new WorkerPool(1)) {
            assertNull(Gemms.directConvFor(Gemms.create("blocked", pool), pool), "the pure-Java GEMM sums otherwise");
        }
    }
}
