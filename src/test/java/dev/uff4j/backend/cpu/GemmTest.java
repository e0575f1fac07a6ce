package dev.uff4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.uff4j.backend.Activation;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both GEMM kernels against a float64 reference on awkward sizes, all four transpose cases, accumulate on and off,
 * non-zero offsets and padded leading dimensions; elements of C outside the m x n block must keep their bits, and
 * the result must be the same bits with 1, 2 and 3 threads.
 *
 * <p>Tolerance: {@code |c - ref| <= (k + 2) * 2^-24 * (|c0| + sum_p |a_ip b_pj|)}, the worst-case rounding bound of a
 * float32 dot product of length k in any summation order (plus one add for accumulate). A correct kernel cannot exceed it;
 * a dropped, doubled or misplaced term moves the result by about 1/k of the scale, far above it.
 */
class GemmTest {

    private static final int[] THREADS = {1, 2, 3};
    private static final float SENTINEL = -7.25f;
    private static WorkerPool[] pools;

    @BeforeAll
    static void startPools() {
        pools = new WorkerPool[THREADS.length];
        for (int i = 0; i < THREADS.length; i++) {
            pools[i] = new WorkerPool(THREADS[i]);
        }
    }

    @AfterAll
    static void closePools() {
        for (WorkerPool p : pools) {
            p.close();
        }
    }

    private static Gemm[] kernels(String kind) {
        if (kind.equals("vector")) {
            Assumptions.assumeTrue(Gemms.vectorApiAvailable(),
                    "Vector API module absent: run the JVM with --add-modules jdk.incubator.vector");
        }
        Gemm[] g = new Gemm[pools.length];
        for (int i = 0; i < pools.length; i++) {
            g[i] = Gemms.create(kind, pools[i]);
        }
        return g;
    }

    /** (m, n, k) triples: every size in {1, 3, 17, 64, 130} for each of m, n, k, plus cases with 513. */
    private static List<int[]> sizes() {
        int[] s = {1, 3, 17, 64, 130};
        List<int[]> out = new ArrayList<>();
        for (int m : s) {
            for (int n : s) {
                for (int k : s) {
                    out.add(new int[]{m, n, k});
                }
            }
        }
        out.add(new int[]{513, 17, 64});
        out.add(new int[]{17, 513, 130});
        out.add(new int[]{3, 130, 513});
        out.add(new int[]{130, 64, 513});
        out.add(new int[]{513, 130, 3});
        return out;
    }

    static Stream<Arguments> kernelsAndTransposes() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : new String[]{"blocked", "vector"}) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    out.add(Arguments.of(kind, ta, tb));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("kernelsAndTransposes")
    void awkwardSizesMatchFloat64ReferenceOnEveryThreadCount(String kind, boolean transA, boolean transB) {
        Gemm[] g = kernels(kind);
        SplittableRandom rnd = new SplittableRandom(31L * kind.hashCode() + (transA ? 2 : 0) + (transB ? 1 : 0));
        for (int[] s : sizes()) {
            for (boolean acc : new boolean[]{false, true}) {
                Problem p = Problem.random(rnd, transA, transB, s[0], s[1], s[2], acc);
                checkAllThreadCounts(g, p);
            }
        }
    }

    static Stream<Arguments> uffShapes() {
        List<Arguments> out = new ArrayList<>();
        for (String kind : new String[]{"blocked", "vector"}) {
            for (boolean ta : new boolean[]{false, true}) {
                for (boolean tb : new boolean[]{false, true}) {
                    // M x K x N = 128 x 784 x 500 (layer forward) and 500 x 128 x 784 (weight-gradient-like).
                    out.add(Arguments.of(kind, ta, tb, 128, 500, 784));
                    out.add(Arguments.of(kind, ta, tb, 500, 784, 128));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2} m={3} n={4} k={5}")
    @MethodSource("uffShapes")
    void uffShapesMatchFloat64ReferenceOnEveryThreadCount(String kind, boolean transA, boolean transB,
                                                         int m, int n, int k) {
        Gemm[] g = kernels(kind);
        SplittableRandom rnd = new SplittableRandom(m * 7919L + n * 31L + k + (transA ? 2 : 0) + (transB ? 1 : 0));
        Problem p = Problem.random(rnd, transA, transB, m, n, k, transA ^ transB);
        checkAllThreadCounts(g, p);
    }

    /**
     * A product at most one vector wide (a classifier head: n = 10) takes the vector kernel's narrow path; each of its
     * elements must be the same bits as in a wide product (the general path) that shares its first n columns, for
     * every transpose case, accumulate on and off, k over several blocks, and rows left over from the row groups.
     */
    @ParameterizedTest(name = "transA={0} transB={1}")
    @MethodSource("transposes")
    void narrowProductsAreTheSameBitsAsTheSameColumnsOfAWideOne(boolean transA, boolean transB) {
        Gemm[] g = kernels("vector");
        SplittableRandom rnd = new SplittableRandom(97 + (transA ? 2 : 0) + (transB ? 1 : 0));
        int[][] shapes = {{130, 513}, {17, 3}, {9, 300}, {300, 128}, {1, 1}};
        for (int[] mk : shapes) {
            for (boolean acc : new boolean[]{false, true}) {
                Problem wide = Problem.random(rnd, transA, transB, mk[0], 3 * 48 + 5, mk[1], acc);
                float[] expected = wide.run(g[0]);
                for (int narrow : new int[]{1, 7, 8, 10, 16}) {
                    for (int t = 0; t < g.length; t++) {
                        float[] c = wide.c0.clone();
                        g[t].multiply(transA, transB, wide.m, narrow, wide.k, wide.a, wide.aOff, wide.lda, wide.b,
                                wide.bOff, wide.ldb, acc, c, wide.cOff, wide.ldc);
                        for (int i = 0; i < wide.m; i++) {
                            int row = wide.cOff + i * wide.ldc;
                            for (int j = 0; j < wide.n; j++) {
                                float want = j < narrow ? expected[row + j] : wide.c0[row + j];
                                if (Float.floatToRawIntBits(c[row + j]) != Float.floatToRawIntBits(want)) {
                                    fail("n=" + narrow + " of " + wide + " threads=" + THREADS[t] + ": C[" + i + "]["
                                            + j + "] = " + c[row + j] + ", expected " + want);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The vector kernel's fused epilogue (bias, ReLU or identity, derivative) gives the bits of the plain product
     * followed by the backend's separate pass ({@link DenseKernels#activate}), on full and edge tiles, the narrow
     * path, one to three threads, with a NaN and signed zeros among the inputs.
     */
    @Test
    void theFusedBiasAndActivationAreTheBitsOfTheSeparatePass() {
        Gemm[] g = kernels("vector");
        SplittableRandom rnd = new SplittableRandom(5);
        int[][] shapes = {{17, 130, 513}, {130, 10, 64}, {9, 48, 3}, {1, 1, 1}, {128, 500, 300}, {33, 97, 600}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = new float[m * k + 2];
            float[] b = new float[k * n + 1];
            float[] bias = new float[n + 3];
            for (float[] x : new float[][]{a, b, bias}) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (rnd.nextDouble() * 2 - 1);
                }
            }
            if (m > 1) {
                a[2 + k] = Float.NaN; // row 1 of C is NaN throughout
            }
            bias[3 + n - 1] = -0f;
            for (boolean relu : new boolean[]{true, false}) {
                Activation act = relu ? Activation.RELU : Activation.IDENTITY;
                float[] want = new float[m * n + 4];
                float[] wantD = new float[m * n + 4];
                g[0].multiply(false, false, m, n, k, a, 2, k, b, 1, n, false, want, 4, n);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        want[4 + i * n + j] += bias[3 + j];
                    }
                    DenseKernels.activate(act, want, 4 + i * n, wantD, 4 + i * n, n);
                }
                for (int t = 0; t < g.length; t++) {
                    for (boolean withDeriv : new boolean[]{true, false}) {
                        float[] c = new float[m * n + 4];
                        float[] d = withDeriv ? new float[m * n + 4] : null;
                        ((TiledGemm) g[t]).multiplyBiasActivation(m, n, k, a, 2, k, b, 1, n, c, 4, n, bias, 3, relu, d,
                                withDeriv ? 4 : 0);
                        String what = m + "x" + n + "x" + k + " " + act + " threads=" + THREADS[t];
                        assertBits(want, c, "output " + what);
                        if (withDeriv) {
                            assertBits(wantD, d, "derivative " + what);
                        }
                    }
                }
            }
        }
    }

    private static void assertBits(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                fail(what + " at " + i + ": " + got[i] + ", expected " + want[i]);
            }
        }
    }

    static Stream<Arguments> transposes() {
        return Stream.of(Arguments.of(false, false), Arguments.of(false, true), Arguments.of(true, false),
                Arguments.of(true, true));
    }

    /** Runs p on every pool, checks the first result against float64 and the others for identical bits. */
    private static void checkAllThreadCounts(Gemm[] g, Problem p) {
        float[] first = null;
        for (int t = 0; t < g.length; t++) {
            float[] c = p.run(g[t]);
            if (first == null) {
                p.check(c, g[t].name() + " threads=" + THREADS[t]);
                first = c;
            } else if (!java.util.Arrays.equals(first, c)) {
                int at = java.util.Arrays.mismatch(first, c);
                fail(g[t].name() + " " + p + ": threads=" + THREADS[t] + " differs from threads=1 at index " + at
                        + ": " + c[at] + " vs " + first[at]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector"})
    void kZeroClearsOrKeepsC(String kind) {
        Gemm g = kernels(kind)[1];
        float[] c = {1f, 2f, 3f, 4f, 5f, 6f};
        g.multiply(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, true, c, 0, 3);
        assertArrayEquals(new float[]{1f, 2f, 3f, 4f, 5f, 6f}, c);
        g.multiply(false, false, 2, 2, 0, new float[0], 0, 1, new float[0], 0, 2, false, c, 0, 3);
        assertArrayEquals(new float[]{0f, 0f, 3f, 0f, 0f, 6f}, c);
        g.multiply(false, false, 0, 2, 5, new float[0], 0, 5, new float[10], 0, 2, false, c, 0, 3);
        assertArrayEquals(new float[]{0f, 0f, 3f, 0f, 0f, 6f}, c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector"})
    void badArgumentsFailBeforeWritingC(String kind) {
        Gemm g = kernels(kind)[1];
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = {9f, 9f, 9f, 9f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.multiply(false, false, 2, 2, 3, a, 0, 2, b, 0, 2, false, c, 0, 2));
        assertTrue(e.getMessage().contains("A: leading dimension 2 < row length 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.multiply(false, true, 2, 2, 3, a, 0, 3, b, 1, 3, false, c, 0, 2));
        assertTrue(e.getMessage().startsWith("B (transposed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> g.multiply(false, false, 2, 2, 3, a, 0, 3, b, 0, 2, false, c, 1, 2));
        assertTrue(e.getMessage().startsWith("C:"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> g.multiply(false, false, -1, 2, 3, a, 0, 3, b, 0, 2, false, c, 0, 2));
        assertArrayEquals(new float[]{9f, 9f, 9f, 9f}, c);
    }

    @Test
    void factoryNamesAndErrors() {
        WorkerPool pool = pools[0];
        assertEquals("blocked", Gemms.create("blocked", pool).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemms.create("fast", pool));
        assertTrue(e.getMessage().contains("auto, vector or blocked"), e.getMessage());
        String auto = Gemms.create("auto", pool).name();
        if (Gemms.vectorApiAvailable()) {
            int bits = Gemms.preferredVectorBits();
            assertEquals("vector-" + bits, Gemms.create("vector", pool).name());
            assertEquals(bits >= 256 ? "vector-" + bits : "blocked", auto);
        } else {
            assertEquals("blocked", auto);
            IllegalStateException ise = assertThrows(IllegalStateException.class, () -> Gemms.create("vector", pool));
            assertTrue(ise.getMessage().contains("--add-modules jdk.incubator.vector"), ise.getMessage());
        }
    }

    /** Repeated same-size calls allocate nothing on the caller or the workers (pack buffers are reused). */
    @Test
    void blockedSteadyStateAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported(), "per-thread allocation counter unsupported");
        WorkerPool pool = pools[1];
        Gemm g = Gemms.create("blocked", pool);
        SplittableRandom rnd = new SplittableRandom(5);
        Problem p = Problem.random(rnd, false, true, 96, 80, 70, true);
        float[] c = p.c0.clone();
        List<Thread> threads = new ArrayList<>();
        pool.run((part, parts) -> {
            synchronized (threads) {
                threads.add(Thread.currentThread());
            }
        }, pool.threads());
        for (int i = 0; i < 5; i++) {
            p.runInto(g, c);
        }
        long[] ids = threads.stream().mapToLong(Thread::getId).toArray();
        long[] before = mx.getThreadAllocatedBytes(ids);
        for (int i = 0; i < 50; i++) {
            p.runInto(g, c);
        }
        long[] after = mx.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            // The counter itself may allocate a little on the calling thread; 50 calls of a 96x80 GEMM that
            // allocated its buffers each time would show well over 1 MB.
            assertTrue(after[i] - before[i] < 4096,
                    threads.get(i).getName() + " allocated " + (after[i] - before[i]) + " bytes in 50 calls");
        }
    }

    /** One random GEMM problem with offsets and padded leading dimensions. */
    private static final class Problem {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final boolean accumulate;
        final float[] a;
        final float[] b;
        final float[] c0;
        final int aOff;
        final int lda;
        final int bOff;
        final int ldb;
        final int cOff;
        final int ldc;

        private Problem(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k, boolean acc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.accumulate = acc;
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            aOff = 1 + rnd.nextInt(5);
            lda = aCols + rnd.nextInt(4);
            bOff = 1 + rnd.nextInt(5);
            ldb = bCols + rnd.nextInt(4);
            cOff = 1 + rnd.nextInt(5);
            ldc = n + 1 + rnd.nextInt(3);
            a = fill(rnd, new float[aOff + (aRows - 1) * lda + aCols + 3]);
            b = fill(rnd, new float[bOff + (bRows - 1) * ldb + bCols + 3]);
            c0 = new float[cOff + (m - 1) * ldc + n + 3];
            java.util.Arrays.fill(c0, SENTINEL);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c0[cOff + i * ldc + j] = (float) (rnd.nextDouble() * 2 - 1);
                }
            }
        }

        static Problem random(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k, boolean acc) {
            return new Problem(rnd, transA, transB, m, n, k, acc);
        }

        private static float[] fill(SplittableRandom rnd, float[] x) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            return x;
        }

        float a(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float b(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        float[] run(Gemm g) {
            float[] c = c0.clone();
            runInto(g, c);
            return c;
        }

        void runInto(Gemm g, float[] c) {
            g.multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
        }

        void check(float[] c, String who) {
            double tol = (k + 2) * 0x1p-24;
            double[][] opA = new double[m][k];
            double[][] opBt = new double[n][k];
            for (int p = 0; p < k; p++) {
                for (int i = 0; i < m; i++) {
                    opA[i][p] = a(i, p);
                }
                for (int j = 0; j < n; j++) {
                    opBt[j][p] = b(p, j);
                }
            }
            for (int i = 0; i < m; i++) {
                double[] arow = opA[i];
                for (int j = 0; j < n; j++) {
                    double[] bcol = opBt[j];
                    double start = accumulate ? c0[cOff + i * ldc + j] : 0;
                    double ref = start;
                    double scale = Math.abs(start);
                    for (int p = 0; p < k; p++) {
                        double t = arow[p] * bcol[p];
                        ref += t;
                        scale += Math.abs(t);
                    }
                    float got = c[cOff + i * ldc + j];
                    if (!(Math.abs(got - ref) <= tol * scale)) {
                        fail(who + " " + this + ": C[" + i + "][" + j + "] = " + got + ", float64 reference " + ref
                                + ", error " + Math.abs(got - ref) + " > bound " + tol * scale);
                    }
                }
            }
            // Everything outside the m x n block keeps its bits (offset gap, row padding, tail).
            for (int x = 0; x < c.length; x++) {
                int rel = x - cOff;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && Float.floatToRawIntBits(c[x]) != Float.floatToRawIntBits(c0[x])) {
                    fail(who + " " + this + ": wrote outside C at index " + x + " (" + c[x] + ")");
                }
            }
        }

        @Override
        public String toString() {
            return "m=" + m + " n=" + n + " k=" + k + " transA=" + transA + " transB=" + transB + " accumulate="
                    + accumulate + " offs=" + aOff + "/" + bOff + "/" + cOff + " ld=" + lda + "/" + ldb + "/" + ldc;
        }
    }
}
