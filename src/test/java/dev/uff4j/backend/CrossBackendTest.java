package dev.uff4j.backend;

import dev.uff4j.backend.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static dev.uff4j.backend.TestArrays.assertClose;
import static dev.uff4j.backend.TestArrays.toDouble;
import static dev.uff4j.backend.TestArrays.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA backend op by op against the CPU backend (the reference every GPU result must meet), on the same random
 * inputs of awkward sizes: 1s, primes, sizes one past a GPU tile (65, 129, 257) or a thread block (257, 1025), and
 * the default model's shapes. Tolerances, relative to the CPU's float32 result:
 * <ul>
 *   <li>products over k terms (GEMM, and what follows one): 1e-4 absolute + 1e-4 relative, since the two sum in
 *       different orders (each float32 sum carries about k·2^-24 of relative error);</li>
 *   <li>element-wise ops and row reductions: 1e-6 absolute + 1e-5 relative (the kernels follow the Java
 *       arithmetic step by step, without fused multiply-add; exp, tanh and sqrt differ by an ulp at most);</li>
 *   <li>selections (top-k, arg-max), masks and label checks: exact.</li>
 * </ul>
 * Without a GPU every case is skipped with the probe's reason.
 */
class CrossBackendTest {
    private static final double PRODUCT_TOL = 1e-4;
    private static final double ELEM_ATOL = 1e-6;
    private static final double ELEM_RTOL = 1e-5;

    static List<Backends.Case> cuda() {
        return Backends.cuda();
    }

    /** The same tensors on both backends. */
    private record Pair(Backend cpu, Backend gpu) {
        T up(float[] v, int rows, int cols) {
            Tensor a = cpu.zeros(rows, cols);
            Tensor b = gpu.zeros(rows, cols);
            cpu.upload(v, 0, a);
            gpu.upload(v, 0, b);
            return new T(a, b);
        }

        T zeros(int rows, int cols) {
            return new T(cpu.zeros(rows, cols), gpu.zeros(rows, cols));
        }

        void same(String what, T t, double atol, double rtol) {
            float[] expected = new float[t.cpu.size()];
            float[] actual = new float[t.gpu.size()];
            cpu.download(t.cpu, expected, 0);
            gpu.download(t.gpu, actual, 0);
            assertClose(what, toDouble(expected), actual, atol, rtol);
        }
    }

    private record T(Tensor cpu, Tensor gpu) {
        Tensor on(Backend b, Pair p) {
            return b == p.cpu ? cpu : gpu;
        }
    }

    private static Pair open(Backends.Case c) {
        Backend gpu = c.factory().get();
        return new Pair(new CpuBackend(2), gpu);
    }

    private static void close(Pair p) {
        p.gpu.close();
        p.cpu.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void denseLayersMatchTheCpu(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(21);
            int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {65, 513, 129}, {128, 784, 1000}, {257, 31, 1025}, {7, 1000, 10}};
            for (int[] s : shapes) {
                for (Epilogue e : BackendOpsTest.epilogues()) {
                    if (e.topK() <= s[2]) {
                        dense(p, r, s[0], s[1], s[2], e);
                    }
                }
                dense(p, r, s[0], s[1], s[2], new Epilogue(Activation.RELU, Math.max(1, s[2] / 20), true));
            }
        } finally {
            close(p);
        }
    }

    private static void dense(Pair p, SplittableRandom r, int n, int in, int out, Epilogue e) {
        String what = n + "x" + in + "->" + out + " " + e;
        T x = p.up(uniform(r, n * in, -1, 1), n, in);
        double scale = 1 / Math.sqrt(in);
        T w = p.up(uniform(r, in * out, -scale, scale), in, out);
        T b = p.up(uniform(r, out, -0.5, 0.5), 1, out);
        T y = p.zeros(n, out);
        T d = p.zeros(n, out);
        T s = p.zeros(n, 1);
        for (Backend be : new Backend[] {p.cpu, p.gpu}) {
            be.denseForward(x.on(be, p), w.on(be, p), b.on(be, p), e, y.on(be, p), d.on(be, p), s.on(be, p));
        }
        double tol = e.layerNorm() ? 1e-3 : PRODUCT_TOL;
        p.same("forward " + what, y, tol, tol);
        p.same("deriv " + what, d, tol, tol);
        p.same("rowScale " + what, s, tol, tol);
        // the backward from identical inputs: copy the CPU's forward results to the GPU first
        float[] yHost = download(p.cpu, y.cpu);
        float[] dHost = download(p.cpu, d.cpu);
        float[] sHost = download(p.cpu, s.cpu);
        p.gpu.upload(yHost, 0, y.gpu);
        p.gpu.upload(dHost, 0, d.gpu);
        p.gpu.upload(sHost, 0, s.gpu);
        T g = p.up(uniform(r, n * out, -1, 1), n, out);
        T dz = p.zeros(n, out);
        T dw = p.zeros(in, out);
        T db = p.zeros(1, out);
        T dx = p.zeros(n, in);
        for (Backend be : new Backend[] {p.cpu, p.gpu}) {
            be.epilogueBackward(g.on(be, p), y.on(be, p), d.on(be, p), s.on(be, p), e, dz.on(be, p));
        }
        p.same("epilogue backward " + what, dz, ELEM_ATOL, ELEM_RTOL);
        for (Backend be : new Backend[] {p.cpu, p.gpu}) {
            be.denseBackward(x.on(be, p), w.on(be, p), dz.on(be, p), dw.on(be, p), db.on(be, p), dx.on(be, p));
        }
        p.same("dw " + what, dw, PRODUCT_TOL, PRODUCT_TOL);
        p.same("db " + what, db, ELEM_ATOL, ELEM_RTOL);
        p.same("dx " + what, dx, PRODUCT_TOL, PRODUCT_TOL);
        // in place, as the models call it: dz aliases dOut
        for (Backend be : new Backend[] {p.cpu, p.gpu}) {
            be.epilogueBackward(g.on(be, p), y.on(be, p), d.on(be, p), s.on(be, p), e, g.on(be, p));
        }
        p.same("epilogue backward in place " + what, g, ELEM_ATOL, ELEM_RTOL);
    }

    private static float[] download(Backend b, Tensor t) {
        float[] out = new float[t.size()];
        b.download(t, out, 0);
        return out;
    }

    /**
     * Convolutions of {@link BackendOpsTest#CONV_CASES} and the convolutional autoencoder's layers at batch 128
     * (28x28, 1 -> 32 and 32 -> 1, 3x3, padding 1; the second spans two of the GPU's im2col chunks), with every
     * activation on the small shapes. dw sums n·outHeight·outWidth products, so its absolute tolerance grows with
     * that count as in BackendOpsTest.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void convolutionsMatchTheCpu(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(26);
            List<Object[]> cases = new java.util.ArrayList<>(List.of(BackendOpsTest.CONV_CASES));
            cases.add(new Object[] {128, new ConvShape(1, 28, 28, 32, 3, 1, 1)});
            cases.add(new Object[] {128, new ConvShape(32, 28, 28, 1, 3, 1, 1)});
            for (Object[] cs : cases) {
                int n = (Integer) cs[0];
                ConvShape s = (ConvShape) cs[1];
                Activation[] acts = n > 32 ? new Activation[] {Activation.RELU, Activation.SIGMOID}
                        : Activation.values();
                for (Activation act : acts) {
                    conv(p, r, n, s, act);
                }
            }
        } finally {
            close(p);
        }
    }

    private static void conv(Pair p, SplittableRandom r, int n, ConvShape s, Activation act) {
        String what = "n=" + n + " " + s + " " + act;
        T x = p.up(uniform(r, n * s.inSize(), -1, 1), n, s.inSize());
        double scale = 1 / Math.sqrt(s.patch());
        T w = p.up(uniform(r, s.outChannels() * s.patch(), -scale, scale), s.outChannels(), s.patch());
        T b = p.up(uniform(r, s.outChannels(), -0.5, 0.5), 1, s.outChannels());
        T y = p.zeros(n, s.outSize());
        T d = p.zeros(n, s.outSize());
        for (Backend be : new Backend[] {p.cpu, p.gpu}) {
            be.conv2dForward(x.on(be, p), s, w.on(be, p), b.on(be, p), act, y.on(be, p), d.on(be, p));
        }
        p.same("conv forward " + what, y, PRODUCT_TOL, PRODUCT_TOL);
        // ReLU's derivative may differ where the two sums round to either side of 0 (both outputs then ~0)
        float[] yCpu = download(p.cpu, y.cpu);
        float[] yGpu = download(p.gpu, y.gpu);
        float[] dCpu = download(p.cpu, d.cpu);
        float[] dGpu = download(p.gpu, d.gpu);
        for (int i = 0; i < dCpu.length; i++) {
            if (Math.abs(yCpu[i]) < 1e-5 && Math.abs(yGpu[i]) < 1e-5) {
                dGpu[i] = dCpu[i];
            }
        }
        assertClose("conv deriv " + what, toDouble(dCpu), dGpu, PRODUCT_TOL, PRODUCT_TOL);
        T dz = p.up(uniform(r, n * s.outSize(), -1, 1), n, s.outSize());
        T dw = p.zeros(s.outChannels(), s.patch());
        T db = p.zeros(1, s.outChannels());
        T dx = p.zeros(n, s.inSize());
        for (Backend be : new Backend[] {p.cpu, p.gpu}) {
            be.conv2dBackward(x.on(be, p), s, w.on(be, p), dz.on(be, p), dw.on(be, p), db.on(be, p), dx.on(be, p));
        }
        double sumAtol = Math.max(PRODUCT_TOL, 0x1p-24 * n * s.outHeight() * s.outWidth());
        p.same("conv dw " + what, dw, sumAtol, PRODUCT_TOL);
        p.same("conv db " + what, db, ELEM_ATOL, ELEM_RTOL);
        p.same("conv dx " + what, dx, PRODUCT_TOL, PRODUCT_TOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void poolingAndUpsamplingMatchTheCpu(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(27);
            // (n, channels, height, width, size): 1s, odd sizes, the autoencoder's 32 x 28 x 28 at batch 128
            for (int[] s : new int[][] {{1, 1, 1, 1, 1}, {3, 2, 6, 9, 3}, {5, 3, 7, 5, 1}, {128, 32, 28, 28, 2}}) {
                int n = s[0];
                int inSize = s[1] * s[2] * s[3];
                int outSize = inSize / (s[4] * s[4]);
                String what = java.util.Arrays.toString(s);
                float[] v = new float[n * inSize];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextInt(5) * 0.25f; // ties
                }
                T x = p.up(v, n, inSize);
                T out = p.zeros(n, outSize);
                T arg = p.zeros(n, outSize);
                T g = p.up(uniform(r, n * outSize, -1, 1), n, outSize);
                T dx = p.zeros(n, inSize);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.maxPool2dForward(x.on(be, p), s[1], s[2], s[3], s[4], out.on(be, p), arg.on(be, p));
                    be.maxPool2dBackward(g.on(be, p), arg.on(be, p), dx.on(be, p));
                }
                p.same("max pool " + what, out, 0, 0);
                p.same("max pool argmax " + what, arg, 0, 0);
                p.same("max pool backward " + what, dx, 0, 0);

                // upsample the pooled images, as a decoder does, by one more than the window
                int f = s[4] + 1;
                int h = s[2] / s[4];
                int wd = s[3] / s[4];
                T up = p.zeros(n, outSize * f * f);
                T gu = p.up(uniform(r, n * outSize * f * f, -1, 1), n, outSize * f * f);
                T dxu = p.zeros(n, outSize);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.upsample2dForward(out.on(be, p), s[1], h, wd, f, up.on(be, p));
                    be.upsample2dBackward(gu.on(be, p), s[1], h, wd, f, dxu.on(be, p));
                }
                p.same("upsample x" + f + " " + what, up, 0, 0);
                p.same("upsample backward x" + f + " " + what, dxu, ELEM_ATOL, ELEM_RTOL);
            }
        } finally {
            close(p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void sparsityMatchesTheCpuExactly(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(22);
            for (int[] s : new int[][] {{1, 1, 1}, {2, 3, 1}, {128, 1000, 6}, {130, 40, 129}, {257, 33, 20},
                    {1000, 3, 999}}) {
                float[] v = uniform(r, s[0] * s[1], -1, 1);
                for (int i = 0; i < v.length; i += 7) {
                    v[i] = v[(i * 31) % v.length]; // ties
                }
                for (int i = 0; i < v.length; i += 11) {
                    v[i] = 0f;
                }
                T o = p.up(v, s[0], s[1]);
                T d = p.up(uniform(r, v.length, 0.5, 1), s[0], s[1]);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.keepTopKPerColumn(o.on(be, p), d.on(be, p), s[2]);
                }
                p.same("column top-" + s[2] + " " + s[0] + "x" + s[1], o, 0, 0);
                p.same("column top-" + s[2] + " deriv", d, 0, 0);
                // the mask multiply a cae cell applies to its gradient, in place
                T g = p.up(uniform(r, v.length, -1, 1), s[0], s[1]);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.mulMask(g.on(be, p), d.on(be, p), g.on(be, p));
                }
                p.same("mulMask " + s[0] + "x" + s[1], g, 0, 0);
                // row top-k through an identity layer: z = v exactly
                int n = s[0];
                int cols = s[1];
                int k = Math.max(1, Math.min(cols, s[2]));
                float[] eye = new float[cols * cols];
                for (int i = 0; i < cols; i++) {
                    eye[i * cols + i] = 1;
                }
                T x = p.up(v, n, cols);
                T w = p.up(eye, cols, cols);
                T b = p.zeros(1, cols);
                T y = p.zeros(n, cols);
                T dd = p.zeros(n, cols);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.denseForward(x.on(be, p), w.on(be, p), b.on(be, p), new Epilogue(Activation.IDENTITY, k, false),
                            y.on(be, p), dd.on(be, p), null);
                }
                p.same("row top-" + k + " " + n + "x" + cols, y, 0, 0);
                p.same("row top-" + k + " deriv", dd, 0, 0);
            }
        } finally {
            close(p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void lossesAndMetricsMatchTheCpu(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(23);
            for (int[] s : new int[][] {{1, 1}, {3, 17}, {128, 784}, {257, 10}, {10000, 10}}) {
                int n = s[0];
                int m = s[1];
                T o = p.up(uniform(r, n * m, 0, 1), n, m);
                T t = p.up(uniform(r, n * m, 0, 1), n, m);
                T d = p.up(uniform(r, n * m, 0, 0.25), n, m);
                T dz = p.zeros(n, m);
                T acc = p.up(new float[] {0.5f, 0, 0, 0, 0, 0}, 1, 6);
                float[] labels = new float[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = r.nextInt(m);
                }
                T y = p.up(labels, n, 1);
                T logits = p.up(uniform(r, n * m, -3, 3), n, m);
                T g = p.zeros(n, m);
                T arg = p.zeros(n, 1);
                T l1Grad = p.up(uniform(r, n * m, -1, 1), n, m);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.mseLoss(o.on(be, p), t.on(be, p), d.on(be, p), dz.on(be, p), acc.on(be, p), 0);
                    be.softmaxCrossEntropy(logits.on(be, p), y.on(be, p), g.on(be, p), acc.on(be, p), 1);
                    be.countCorrect(logits.on(be, p), y.on(be, p), acc.on(be, p), 3);
                    be.argmaxRows(logits.on(be, p), arg.on(be, p));
                    be.l1Penalty(logits.on(be, p), 1e-3f, l1Grad.on(be, p), acc.on(be, p), 4);
                }
                String what = n + "x" + m;
                p.same("mse gradient " + what, dz, ELEM_ATOL, ELEM_RTOL);
                p.same("cross-entropy gradient " + what, g, ELEM_ATOL, ELEM_RTOL);
                p.same("losses and counts " + what, acc, ELEM_ATOL, ELEM_RTOL);
                p.same("arg-max " + what, arg, 0, 0);
                p.same("l1 gradient " + what, l1Grad, ELEM_ATOL, ELEM_RTOL);
            }
            T logits = p.up(new float[] {1, 3, 3, -1}, 2, 2);
            T bad = p.up(new float[] {1, 2.5f}, 2, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                p.gpu.countCorrect(logits.gpu, bad.gpu, p.gpu.zeros(1, 1), 0);
                p.gpu.synchronize();
            });
            assertTrue(e.getMessage().contains("label 2.5 at row 1"), e.getMessage());
        } finally {
            close(p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void noiseAndOptimizerMatchTheCpu(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(24);
            for (int[] s : new int[][] {{1, 1}, {1, 3}, {128, 784}, {33, 1025}}) {
                int n = s[0] * s[1];
                T x = p.up(uniform(r, n, 0, 1), s[0], s[1]);
                T out = p.zeros(s[0], s[1]);
                for (Noise noise : new Noise[] {new Noise(0.1f, 0.1f), new Noise(0.5f, 0f), new Noise(0f, 0.3f)}) {
                    for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                        be.corrupt(x.on(be, p), noise, 99, 5, out.on(be, p));
                    }
                    p.same("corrupt " + noise + " " + s[0] + "x" + s[1], out, ELEM_ATOL, ELEM_RTOL);
                    // a view at an odd offset starts with the second element of a pair
                    if (n > 1) {
                        Tensor vc = out.cpu.view(1, 1, n - 1);
                        Tensor vg = out.gpu.view(1, 1, n - 1);
                        p.cpu.corrupt(x.cpu.view(1, 1, n - 1), noise, 99, 6, vc);
                        p.gpu.corrupt(x.gpu.view(1, 1, n - 1), noise, 99, 6, vg);
                        p.same("corrupt view " + noise, out, ELEM_ATOL, ELEM_RTOL);
                    }
                }
            }
            for (int[] s : new int[][] {{1, 1}, {1, 3}, {128, 64}, {33, 1025}}) {
                T out = p.zeros(s[0], s[1]);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.randn(out.on(be, p), 0.5f, 2f, 99, 5);
                }
                p.same("randn " + s[0] + "x" + s[1], out, ELEM_ATOL, ELEM_RTOL);
            }
            int size = 100_003;
            int decay = 90_001;
            T params = p.up(uniform(r, size, -1, 1), 1, size);
            T m = p.zeros(1, size);
            T v = p.zeros(1, size);
            AdamW h = new AdamW(3e-3, 0.9, 0.999, 1e-8, 0.01);
            for (int step = 1; step <= 5; step++) {
                T grads = p.up(uniform(r, size, -1e-2, 1e-2), 1, size);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.adamW(h, 0.75f, step, params.on(be, p), grads.on(be, p), m.on(be, p), v.on(be, p), decay);
                }
            }
            p.same("adamW params after 5 steps", params, ELEM_ATOL, ELEM_RTOL);
            p.same("adamW first moments", m, ELEM_ATOL, ELEM_RTOL);
            p.same("adamW second moments", v, ELEM_ATOL, ELEM_RTOL);
        } finally {
            close(p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void forwardForwardOpsMatchTheCpu(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(26);
            for (int[] s : new int[][] {{1, 2, 2}, {128, 784, 10}, {257, 1000, 10}, {3, 1025, 7}}) {
                int n = s[0];
                int m = s[1];
                float[] labels = new float[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = r.nextInt(s[2]);
                }
                T y = p.up(labels, n, 1);
                T wrong = p.zeros(n, 1);
                T hard = p.zeros(n, 1);
                T hardScores = p.up(uniform(r, n * s[2], 0, 3), n, s[2]);
                T x = p.up(uniform(r, n * m, -1, 1), n, m);
                T out = p.zeros(n, m);
                T h = p.up(uniform(r, n * m, 0, 2), n, m);
                T dh = p.zeros(n, m);
                T acc = p.zeros(1, 2);
                T scores = p.up(uniform(r, n * 3, 0, 1), n, 3);
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.wrongLabels(y.on(be, p), s[2], 77, 3, wrong.on(be, p));
                    be.sampleWrongLabels(hardScores.on(be, p), y.on(be, p), 10f, 78, 3, hard.on(be, p));
                    be.overlayLabels(x.on(be, p), wrong.on(be, p), s[2], 1f, out.on(be, p));
                    be.normalizeRows(out.on(be, p), out.on(be, p));
                    be.goodnessLoss(h.on(be, p), 1f, 2f, dh.on(be, p), acc.on(be, p), 0);
                    be.goodnessLoss(h.on(be, p), -30f, 2f, dh.on(be, p), acc.on(be, p), 1);
                    be.addGoodness(h.on(be, p), scores.on(be, p), 1);
                }
                String what = n + "x" + m;
                p.same("wrongLabels " + what, wrong, 0, 0);
                p.same("sampleWrongLabels " + what, hard, 0, 0);
                p.same("overlay and normalizeRows " + what, out, ELEM_ATOL, ELEM_RTOL);
                p.same("goodness gradient " + what, dh, 1e-9, ELEM_RTOL);
                p.same("goodness losses " + what, acc, ELEM_ATOL, ELEM_RTOL);
                p.same("addGoodness " + what, scores, ELEM_ATOL, ELEM_RTOL);
            }
        } finally {
            close(p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cuda")
    void transfersMatchTheCpuExactly(Backends.Case c) {
        Pair p = open(c);
        try {
            SplittableRandom r = new SplittableRandom(25);
            float[] data = uniform(r, 1000 * 785, -1, 1);
            int[] order = new int[1000];
            for (int i = 0; i < order.length; i++) {
                order[i] = (i * 389) % 1000;
            }
            int[] labels = new int[1000];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = r.nextInt(10);
            }
            T batch = p.zeros(129, 785);
            T y = p.zeros(129, 1);
            for (int from : new int[] {0, 129, 871}) {
                for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                    be.uploadRows(data, order, from, batch.on(be, p));
                    be.uploadLabels(labels, order, from, y.on(be, p));
                }
                p.same("uploadRows from " + from, batch, 0, 0);
                p.same("uploadLabels from " + from, y, 0, 0);
            }
            T wide = p.zeros(129, 2000);
            T narrow = p.up(uniform(r, 129 * 300, -1, 1), 129, 300);
            for (Backend be : new Backend[] {p.cpu, p.gpu}) {
                be.fill(wide.on(be, p), 0.25f);
                be.copyColumns(batch.on(be, p), wide.on(be, p), 1000);
                be.addColumns(wide.on(be, p), 999, narrow.on(be, p));
            }
            p.same("fill and copyColumns", wide, 0, 0);
            p.same("addColumns", narrow, 0, 0);
            float[] big = uniform(r, (1 << 22) + 3, -1, 1); // more than one pinned chunk
            Tensor t = p.gpu.zeros(1, big.length);
            p.gpu.upload(big, 0, t);
            assertArrayEquals(big, download(p.gpu, t), "upload and download of " + big.length + " floats");
        } finally {
            close(p);
        }
    }
}
