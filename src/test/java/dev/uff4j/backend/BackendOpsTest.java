package dev.uff4j.backend;

import dev.uff4j.testing.FiniteDifferences;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.uff4j.backend.TestArrays.assertClose;
import static dev.uff4j.backend.TestArrays.download;
import static dev.uff4j.backend.TestArrays.toDouble;
import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conformance of every backend op with the float64 reference, on random inputs of awkward sizes.
 * Tolerances: results of a dot product over k terms of magnitude &le; 1 are within 1e-4 absolute + 1e-4 relative
 * (float32 accumulation error is about k·2^-24 of the terms' sum, below 1e-5 for k = 513); element-wise results
 * within 1e-6 absolute + 1e-5 relative.
 */
class BackendOpsTest {
    private static final double GEMM_ATOL = 1e-4;
    private static final double GEMM_RTOL = 1e-4;
    private static final double ELEM_ATOL = 1e-6;
    private static final double ELEM_RTOL = 1e-5;

    /** (rows n, inputs, outputs): 1s, primes, one larger than a register tile, 513 inputs. */
    static final int[][] DENSE_SHAPES = {{1, 1, 1}, {3, 17, 5}, {17, 513, 130}, {5, 3, 17}, {33, 64, 7}, {5, 8, 6}, {5, 6, 4}};

    static List<Backends.Case> backends() {
        return Backends.all();
    }

    static List<Epilogue> epilogues() {
        List<Epilogue> list = new ArrayList<>();
        for (Activation a : Activation.values()) {
            list.add(Epilogue.of(a));
        }
        list.add(new Epilogue(Activation.RELU, 3, false));
        list.add(new Epilogue(Activation.RELU, 0, true));
        list.add(new Epilogue(Activation.RELU, 4, true));
        list.add(new Epilogue(Activation.TANH, 2, true));
        list.add(new Epilogue(Activation.IDENTITY, 1, false));
        return list;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void denseForwardAndBackwardMatchReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(11);
            for (int[] shape : DENSE_SHAPES) {
                for (Epilogue e : epilogues()) {
                    if (e.topK() > shape[2]) {
                        continue;
                    }
                    checkDense(b, r, shape[0], shape[1], shape[2], e);
                }
            }
        }
    }

    private static void checkDense(Backend b, SplittableRandom r, int n, int in, int out, Epilogue e) {
        String what = n + "x" + in + "->" + out + " " + e;
        float[] x = uniform(r, n * in, -1, 1);
        double scale = 1 / Math.sqrt(in); // as initialised: pre-activations of order 1, tanh far from saturation
        float[] w = uniform(r, in * out, -scale, scale);
        float[] bias = uniform(r, out, -0.5, 0.5);
        float[] dOut = uniform(r, n * out, -1, 1);
        Reference64.Dense ref = Reference64.denseForward(toDouble(x), toDouble(w), toDouble(bias), n, in, out, e);

        Tensor xt = upload(b, x, n, in);
        Tensor wt = upload(b, w, in, out);
        Tensor bt = upload(b, bias, 1, out);
        Tensor y = b.zeros(n, out);
        Tensor d = b.zeros(n, out);
        Tensor s = b.zeros(n, 1);
        b.denseForward(xt, wt, bt, e, y, d, s);
        double atol = e.layerNorm() ? 1e-3 : GEMM_ATOL;
        assertClose("forward " + what, ref.out(), download(b, y), atol, GEMM_RTOL);
        assertClose("deriv " + what, ref.deriv(), download(b, d), atol, GEMM_RTOL);
        if (e.layerNorm()) {
            assertClose("rowScale " + what, ref.rowScale(), download(b, s), atol, 1e-3);
        }
        Tensor yInference = b.zeros(n, out);
        b.denseForward(xt, wt, bt, e, yInference, null, null);
        assertArrayEquals(download(b, y), download(b, yInference), "inference forward equals training " + what);

        double[] dzRef = Reference64.epilogueBackward(toDouble(dOut), ref, n, out, e);
        Tensor dz = b.zeros(n, out);
        b.epilogueBackward(upload(b, dOut, n, out), y, d, s, e, dz);
        assertClose("epilogue backward " + what, dzRef, download(b, dz), atol, 1e-3);

        double[][] grads = Reference64.denseBackward(toDouble(x), toDouble(w), toDouble(download(b, dz)), n, in, out);
        Tensor dw = b.zeros(in, out);
        Tensor db = b.zeros(1, out);
        Tensor dx = b.zeros(n, in);
        b.denseBackward(xt, wt, dz, dw, db, dx);
        assertClose("dw " + what, grads[0], download(b, dw), GEMM_ATOL, GEMM_RTOL);
        assertClose("db " + what, grads[1], download(b, db), GEMM_ATOL, GEMM_RTOL);
        assertClose("dx " + what, grads[2], download(b, dx), GEMM_ATOL, GEMM_RTOL);
    }

    /**
     * The CPU backend runs the layer norm's sums of four rows side by side; each row must still get the bits it gets
     * alone (a row's sums keep their order): 11 rows (two groups and three rows left) against each row as a batch of
     * one, forward and backward, on 1 and 2 threads.
     */
    @org.junit.jupiter.api.Test
    void theCpuLayerNormGivesEachRowTheBitsItGetsAlone() {
        int n = 11;
        int in = 37;
        int out = 203;
        SplittableRandom r = new SplittableRandom(23);
        float[] x = uniform(r, n * in, -1, 1);
        float[] w = uniform(r, in * out, -0.2, 0.2);
        float[] bias = uniform(r, out, -0.5, 0.5);
        float[] dOut = uniform(r, n * out, -1, 1);
        for (Epilogue e : List.of(new Epilogue(Activation.RELU, 0, true), new Epilogue(Activation.TANH, 5, true))) {
            for (int threads : new int[] {1, 2}) {
                try (Backend b = new dev.uff4j.backend.cpu.CpuBackend(threads, "auto")) {
                    float[][] batch = denseEpilogue(b, x, w, bias, dOut, n, in, out, e);
                    for (int row = 0; row < n; row++) {
                        float[][] alone = denseEpilogue(b, java.util.Arrays.copyOfRange(x, row * in, row * in + in), w,
                                bias, java.util.Arrays.copyOfRange(dOut, row * out, row * out + out), 1, in, out, e);
                        String what = "row " + row + " of " + n + ", " + e + ", " + threads + " threads";
                        assertArrayEquals(alone[0], java.util.Arrays.copyOfRange(batch[0], row * out, row * out + out),
                                "forward " + what);
                        assertEquals(alone[1][0], batch[1][row], "rowScale " + what);
                        assertArrayEquals(alone[2], java.util.Arrays.copyOfRange(batch[2], row * out, row * out + out),
                                "epilogue backward " + what);
                    }
                }
            }
        }
    }

    /** {out, rowScale, dz} of denseForward and epilogueBackward on n rows. */
    private static float[][] denseEpilogue(Backend b, float[] x, float[] w, float[] bias, float[] dOut, int n, int in,
                                           int out, Epilogue e) {
        Tensor y = b.zeros(n, out);
        Tensor d = b.zeros(n, out);
        Tensor s = b.zeros(n, 1);
        b.denseForward(upload(b, x, n, in), upload(b, w, in, out), upload(b, bias, 1, out), e, y, d, s);
        Tensor dz = b.zeros(n, out);
        b.epilogueBackward(upload(b, dOut, n, out), y, d, s, e, dz);
        return new float[][] {download(b, y), download(b, s), download(b, dz)};
    }

    /**
     * (batch, shape): 1x1 images, odd sizes, stride 2 with padding 1, kernel 5, 3 -> 7 channels, the convolutional
     * autoencoder's layers (28x28, 1 -> 16 and 32 -> 1 with 3x3 kernels and padding 1; the second spans several of
     * the CPU's im2col chunks), padding as wide as the kernel.
     */
    static final Object[][] CONV_CASES = {
        {3, new ConvShape(1, 1, 1, 2, 1, 1, 0)},
        {3, new ConvShape(3, 1, 1, 4, 3, 1, 1)},
        {3, new ConvShape(3, 5, 7, 7, 3, 1, 1)},
        {3, new ConvShape(3, 5, 7, 7, 3, 2, 1)},
        {3, new ConvShape(3, 5, 7, 7, 5, 1, 0)},
        {2, new ConvShape(2, 9, 8, 3, 5, 2, 2)},
        {1, new ConvShape(2, 4, 6, 1, 2, 3, 2)},
        {32, new ConvShape(1, 28, 28, 16, 3, 1, 1)},
        {20, new ConvShape(32, 28, 28, 1, 3, 1, 1)},
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void conv2dForwardAndBackwardMatchReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(13);
            for (Object[] cs : CONV_CASES) {
                int n = (Integer) cs[0];
                ConvShape s = (ConvShape) cs[1];
                for (Activation act : Activation.values()) {
                    checkConv(b, r, n, s, act);
                }
            }
        }
    }

    /**
     * Products over the patch (at most 800 terms here) meet the GEMM tolerance. dw and db sum over every sample and
     * output position (T = n·outHeight·outWidth terms, up to 32·784 here), so their absolute tolerance grows with T:
     * summing T terms of magnitude &le; 1 and random sign, the partial sums are about √T and each of the T roundings
     * about 2^-24·√T, so the error is about 2^-24·T (measured: 3.6e-4 at T = 25088, in the sequential BlockedGemm).
     */
    private static void checkConv(Backend b, SplittableRandom r, int n, ConvShape s, Activation act) {
        String what = "n=" + n + " " + s + " " + act;
        float[] x = uniform(r, n * s.inSize(), -1, 1);
        double scale = 1 / Math.sqrt(s.patch());
        float[] w = uniform(r, s.outChannels() * s.patch(), -scale, scale);
        float[] bias = uniform(r, s.outChannels(), -0.5, 0.5);
        float[] dz = uniform(r, n * s.outSize(), -1, 1);
        Reference64.Dense ref = Reference64.conv2dForward(toDouble(x), toDouble(w), toDouble(bias), n, s, act);

        Tensor xt = upload(b, x, n, s.inSize());
        Tensor wt = upload(b, w, s.outChannels(), s.patch());
        Tensor bt = upload(b, bias, 1, s.outChannels());
        Tensor y = b.zeros(n, s.outSize());
        Tensor d = b.zeros(n, s.outSize());
        b.conv2dForward(xt, s, wt, bt, act, y, d);
        assertClose("conv forward " + what, ref.out(), download(b, y), GEMM_ATOL, GEMM_RTOL);
        float[] deriv = download(b, d);
        double[] derivRef = ref.deriv().clone();
        double[] z = Reference64.conv2d(toDouble(x), toDouble(w), toDouble(bias), n, s);
        for (int i = 0; i < z.length; i++) {
            if (Math.abs(z[i]) < 1e-5) {
                derivRef[i] = deriv[i]; // on ReLU's kink float32 rounding may fall on either side
            }
        }
        assertClose("conv deriv " + what, derivRef, deriv, GEMM_ATOL, GEMM_RTOL);
        Tensor yInference = b.zeros(n, s.outSize());
        b.conv2dForward(xt, s, wt, bt, act, yInference, null);
        assertArrayEquals(download(b, y), download(b, yInference), "inference forward equals training " + what);

        double[][] grads = Reference64.conv2dBackward(toDouble(x), toDouble(w), toDouble(dz), n, s);
        Tensor dw = b.zeros(s.outChannels(), s.patch());
        Tensor db = b.zeros(1, s.outChannels());
        Tensor dx = b.zeros(n, s.inSize());
        b.fill(dw, 7f); // overwritten, not accumulated
        b.fill(dx, 7f);
        Tensor dzt = upload(b, dz, n, s.outSize());
        b.conv2dBackward(xt, s, wt, dzt, dw, db, dx);
        double sumAtol = Math.max(GEMM_ATOL, 0x1p-24 * n * s.outHeight() * s.outWidth());
        assertClose("conv dw " + what, grads[0], download(b, dw), sumAtol, GEMM_RTOL);
        assertClose("conv db " + what, grads[1], download(b, db), sumAtol, GEMM_RTOL);
        assertClose("conv dx " + what, grads[2], download(b, dx), GEMM_ATOL, GEMM_RTOL);
        Tensor dw2 = b.zeros(s.outChannels(), s.patch());
        b.conv2dBackward(xt, s, wt, dzt, dw2, db, null);
        assertArrayEquals(download(b, dw), download(b, dw2), "dw without dx " + what);
    }

    /** The CPU backend's convolution and pooling give the same bits on 1, 2 and 3 threads (several chunks here). */
    @org.junit.jupiter.api.Test
    void convolutionAndPoolingOnTheCpuDoNotDependOnTheThreadCount() {
        ConvShape s = new ConvShape(32, 28, 28, 3, 3, 1, 1);
        int n = 20;
        SplittableRandom r = new SplittableRandom(16);
        float[] x = uniform(r, n * s.inSize(), -1, 1);
        float[] w = uniform(r, s.outChannels() * s.patch(), -0.1, 0.1);
        float[] bias = uniform(r, s.outChannels(), -0.5, 0.5);
        float[] dz = uniform(r, n * s.outSize(), -1, 1);
        List<float[]> first = null;
        for (String[] kind : new String[][] {{"1", "blocked"}, {"3", "blocked"}, {"1", "auto"}, {"2", "auto"}}) {
            try (Backend b = new dev.uff4j.backend.cpu.CpuBackend(Integer.parseInt(kind[0]), kind[1])) {
                Tensor xt = upload(b, x, n, s.inSize());
                Tensor wt = upload(b, w, s.outChannels(), s.patch());
                Tensor y = b.zeros(n, s.outSize());
                Tensor d = b.zeros(n, s.outSize());
                b.conv2dForward(xt, s, wt, upload(b, bias, 1, s.outChannels()), Activation.RELU, y, d);
                Tensor dw = b.zeros(s.outChannels(), s.patch());
                Tensor db = b.zeros(1, s.outChannels());
                Tensor dx = b.zeros(n, s.inSize());
                b.conv2dBackward(xt, s, wt, upload(b, dz, n, s.outSize()), dw, db, dx);
                Tensor pooled = b.zeros(n, s.inSize() / 4);
                Tensor argmax = b.zeros(n, s.inSize() / 4);
                b.maxPool2dForward(xt, 32, 28, 28, 2, pooled, argmax);
                Tensor dxPool = b.zeros(n, s.inSize());
                b.maxPool2dBackward(pooled, argmax, dxPool);
                Tensor up = b.zeros(n, s.inSize());
                b.upsample2dForward(pooled, 32, 14, 14, 2, up);
                Tensor dxUp = b.zeros(n, s.inSize() / 4);
                b.upsample2dBackward(up, 32, 14, 14, 2, dxUp);
                List<float[]> results = List.of(download(b, y), download(b, d), download(b, dw), download(b, db),
                        download(b, dx), download(b, pooled), download(b, argmax), download(b, dxPool),
                        download(b, dxUp));
                if (first == null || kind[0].equals("1")) {
                    first = results; // the GEMM kind changes the sums' order; the thread count may not
                } else {
                    for (int i = 0; i < results.size(); i++) {
                        assertArrayEquals(first.get(i), results.get(i), "result " + i + " on " + kind[0] + " threads");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void maxPoolingMatchesReferenceAndTakesTheFirstOfTies(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(14);
            // (n, channels, height, width, size); the last is large enough to run on several threads
            for (int[] p : new int[][] {{1, 1, 1, 1, 1}, {3, 2, 4, 6, 2}, {2, 3, 9, 6, 3}, {3, 1, 5, 7, 1},
                    {32, 16, 28, 28, 2}}) {
                int n = p[0];
                int inSize = p[1] * p[2] * p[3];
                int outSize = inSize / (p[4] * p[4]);
                String what = java.util.Arrays.toString(p);
                float[] x = new float[n * inSize];
                for (int i = 0; i < x.length; i++) {
                    x[i] = r.nextInt(4) - 1; // few levels: many ties
                }
                double[][] ref = Reference64.maxPool2dForward(toDouble(x), n, p[1], p[2], p[3], p[4]);
                Tensor out = b.zeros(n, outSize);
                Tensor argmax = b.zeros(n, outSize);
                b.maxPool2dForward(upload(b, x, n, inSize), p[1], p[2], p[3], p[4], out, argmax);
                assertClose("max pool " + what, ref[0], download(b, out), 0, 0);
                assertClose("max pool argmax " + what, ref[1], download(b, argmax), 0, 0);

                float[] g = uniform(r, n * outSize, -1, 1);
                double[] dxRef = Reference64.maxPool2dBackward(toDouble(g), ref[1], n, inSize);
                Tensor dx = b.zeros(n, inSize);
                b.fill(dx, 7f);
                b.maxPool2dBackward(upload(b, g, n, outSize), argmax, dx);
                assertClose("max pool backward " + what, dxRef, download(b, dx), 0, 0);
            }
            Tensor dx = b.zeros(2, 16);
            Tensor g = b.zeros(2, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                b.maxPool2dBackward(g, upload(b, new float[] {0, 1, 2, 3, 4, 16, 6, 7}, 2, 4), dx);
                b.synchronize();
            });
            assertTrue(e.getMessage().startsWith("maxPool2dBackward: argmax 16.0 at row 1"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void upsamplingMatchesReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(15);
            // (n, channels, height, width, factor)
            for (int[] p : new int[][] {{1, 1, 1, 1, 1}, {3, 2, 5, 7, 2}, {2, 3, 4, 1, 3}, {1, 1, 1, 1, 3},
                    {32, 16, 14, 14, 2}}) {
                int n = p[0];
                int small = p[1] * p[2] * p[3];
                int large = small * p[4] * p[4];
                String what = java.util.Arrays.toString(p);
                float[] x = uniform(r, n * small, -1, 1);
                Tensor out = b.zeros(n, large);
                b.upsample2dForward(upload(b, x, n, small), p[1], p[2], p[3], p[4], out);
                assertClose("upsample " + what, Reference64.upsample2dForward(toDouble(x), n, p[1], p[2], p[3], p[4]),
                        download(b, out), 0, 0);
                float[] g = uniform(r, n * large, -1, 1);
                Tensor dx = b.zeros(n, small);
                b.fill(dx, 7f);
                b.upsample2dBackward(upload(b, g, n, large), p[1], p[2], p[3], p[4], dx);
                assertClose("upsample backward " + what,
                        Reference64.upsample2dBackward(toDouble(g), n, p[1], p[2], p[3], p[4]), download(b, dx),
                        ELEM_ATOL, ELEM_RTOL);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void topKKeepsExactlyKPerRowAndLowerIndexOnTies(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            // identity weights: z = x + 0; row 0 has ties at the k-th place
            float[] x = {5, 1, 3, 3, 3, 0, /* row 1 */ -1, -2, -3, -4, -5, -6};
            float[] eye = new float[36];
            for (int i = 0; i < 6; i++) {
                eye[i * 6 + i] = 1;
            }
            Tensor y = b.zeros(2, 6);
            Tensor d = b.zeros(2, 6);
            b.denseForward(upload(b, x, 2, 6), upload(b, eye, 6, 6), b.zeros(1, 6),
                    new Epilogue(Activation.IDENTITY, 3, false), y, d, null);
            assertArrayEquals(new float[] {5, 0, 3, 3, 0, 0, -1, -2, -3, 0, 0, 0}, download(b, y));
            assertArrayEquals(new float[] {1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0}, download(b, d));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void keepTopKPerColumnMatchesReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(12);
            for (int[] shape : new int[][] {{1, 1, 1}, {3, 17, 1}, {17, 5, 4}, {128, 513, 7}, {130, 40, 129}}) {
                int rows = shape[0];
                int cols = shape[1];
                int k = shape[2];
                float[] out = uniform(r, rows * cols, -1, 1);
                if (rows > 1) {
                    out[0] = out[cols]; // a tie in column 0
                }
                float[] deriv = uniform(r, rows * cols, 0.5, 1);
                double[] refOut = toDouble(out);
                double[] refDeriv = toDouble(deriv);
                Reference64.keepTopKPerColumn(refOut, refDeriv, rows, cols, Math.min(k, rows));
                Tensor o = upload(b, out, rows, cols);
                Tensor d = upload(b, deriv, rows, cols);
                b.keepTopKPerColumn(o, d, k);
                assertClose("column top-" + k + " of " + rows + "x" + cols, refOut, download(b, o), 0, 0);
                assertClose("column top-" + k + " deriv " + rows + "x" + cols, refDeriv, download(b, d), 0, 0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void mseLossMatchesReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(5);
            for (int[] shape : new int[][] {{1, 1}, {3, 17}, {17, 513}, {128, 784}}) {
                int n = shape[0];
                int m = shape[1];
                float[] out = uniform(r, n * m, 0, 1);
                float[] target = uniform(r, n * m, 0, 1);
                float[] deriv = uniform(r, n * m, 0, 0.25);
                double[] dzRef = new double[n * m];
                double loss = Reference64.mseLoss(toDouble(out), toDouble(target), toDouble(deriv), dzRef);
                Tensor acc = b.zeros(1, 3);
                b.fill(acc, 0.5f);
                Tensor dz = b.zeros(n, m);
                b.mseLoss(upload(b, out, n, m), upload(b, target, n, m), upload(b, deriv, n, m), dz, acc, 1);
                float[] sums = download(b, acc);
                assertClose("mse loss " + n + "x" + m, 0.5 + loss, sums[1], ELEM_ATOL, ELEM_RTOL);
                assertEquals(0.5f, sums[0], "other slots untouched");
                assertEquals(0.5f, sums[2], "other slots untouched");
                assertClose("mse dz " + n + "x" + m, dzRef, download(b, dz), 1e-9, ELEM_RTOL);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void softmaxCrossEntropyMatchesReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(6);
            for (int[] shape : new int[][] {{1, 2}, {3, 10}, {17, 3}, {513, 10}}) {
                int n = shape[0];
                int k = shape[1];
                float[] logits = uniform(r, n * k, -8, 8);
                if (n > 3) {
                    logits[0] = 90f; // large logits must not overflow
                    logits[1] = -90f;
                }
                int[] labels = new int[n];
                float[] labelFloats = new float[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = r.nextInt(k);
                    labelFloats[i] = labels[i];
                }
                double[] gRef = new double[n * k];
                double[] ref = Reference64.softmaxCrossEntropy(toDouble(logits), labels, n, k, gRef);
                Tensor acc = b.zeros(1, 2);
                Tensor g = b.zeros(n, k);
                Tensor lt = upload(b, logits, n, k);
                Tensor yt = upload(b, labelFloats, n, 1);
                b.softmaxCrossEntropy(lt, yt, g, acc, 0);
                float[] sums = download(b, acc);
                assertClose("cross-entropy loss " + n + "x" + k, ref[0], sums[0], ELEM_ATOL, ELEM_RTOL);
                assertEquals(ref[1], sums[1], "correct count " + n + "x" + k);
                assertClose("cross-entropy gradient " + n + "x" + k, gRef, download(b, g), 1e-7, 1e-4);

                Tensor counted = b.zeros(1, 1);
                b.countCorrect(lt, yt, counted, 0);
                assertEquals(ref[1], download(b, counted)[0], "countCorrect " + n + "x" + k);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void argmaxTakesFirstOfTiesAndLabelsMustBeClassIndices(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            Tensor logits = upload(b, new float[] {1, 3, 3, /* */ -1, -5, -1, /* */ 0, 0, 7}, 3, 3);
            Tensor out = b.zeros(3, 1);
            b.argmaxRows(logits, out);
            assertArrayEquals(new float[] {1, 0, 2}, download(b, out));
            Tensor acc = b.zeros(1, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.countCorrect(logits, upload(b, new float[] {0, 3, 1}, 3, 1), acc, 0));
            assertTrue(e.getMessage().contains("label 3.0"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void l1PenaltyMatchesReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(8);
            int n = 17;
            int m = 130;
            float[] a = uniform(r, n * m, -1, 1);
            a[3] = 0f;
            float[] g0 = uniform(r, n * m, -1, 1);
            double[] gRef = toDouble(g0);
            double loss = Reference64.l1Penalty(toDouble(a), n, 0.01, gRef);
            Tensor acc = b.zeros(1, 1);
            Tensor g = upload(b, g0, n, m);
            b.l1Penalty(upload(b, a, n, m), 0.01f, g, acc, 0);
            assertClose("l1 loss", loss, download(b, acc)[0], ELEM_ATOL, ELEM_RTOL);
            assertClose("l1 gradient", gRef, download(b, g), ELEM_ATOL, ELEM_RTOL);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void forwardForwardOpsMatchReference(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(9);
            for (int[] shape : new int[][] {{1, 2, 2}, {3, 17, 10}, {128, 784, 10}, {33, 1025, 3}}) {
                int n = shape[0];
                int m = shape[1];
                int classes = shape[2];
                String what = n + "x" + m + ", " + classes + " classes";
                float[] x = uniform(r, n * m, -1, 1);
                int[] labels = new int[n];
                float[] labelValues = new float[n];
                for (int i = 0; i < n; i++) {
                    labels[i] = r.nextInt(classes);
                    labelValues[i] = labels[i];
                }
                Tensor xt = upload(b, x, n, m);
                Tensor yt = upload(b, labelValues, n, 1);
                Tensor out = b.zeros(n, m);
                b.overlayLabels(xt, yt, classes, 0.75f, out);
                assertClose("overlay " + what, Reference64.overlayLabels(toDouble(x), labels, n, m, classes, 0.75),
                        download(b, out), 0, 0);
                b.overlayLabels(xt, null, classes, 0.1f, xt);
                assertClose("neutral overlay in place " + what,
                        Reference64.overlayLabels(toDouble(x), null, n, m, classes, (double) 0.1f), download(b, xt), 0, 0);

                b.normalizeRows(out, out);
                double[] overlaid = Reference64.overlayLabels(toDouble(x), labels, n, m, classes, 0.75);
                assertClose("normalizeRows " + what, Reference64.normalizeRows(overlaid, n, m), download(b, out),
                        ELEM_ATOL, ELEM_RTOL);

                float[] h = uniform(r, n * m, 0, 2);
                double[] dhRef = new double[n * m];
                Tensor ht = upload(b, h, n, m);
                Tensor dh = b.zeros(n, m);
                Tensor acc = b.zeros(1, 3);
                for (float scale : new float[] {1f, -1f, 30f, -30f}) {
                    double loss = Reference64.goodnessLoss(toDouble(h), n, m, scale, 1.3, dhRef);
                    b.fill(acc, 0f);
                    b.goodnessLoss(ht, scale, 1.3f, dh, acc, 1);
                    assertClose("goodness loss, scale " + scale + ", " + what, loss, download(b, acc)[1], ELEM_ATOL,
                            ELEM_RTOL);
                    assertClose("goodness gradient, scale " + scale + ", " + what, dhRef, download(b, dh), 1e-9,
                            ELEM_RTOL);
                }
                Tensor scores = upload(b, uniform(r, n * 4, 0, 1), n, 4);
                float[] before = download(b, scores);
                b.addGoodness(ht, scores, 2);
                double[] g = Reference64.goodness(toDouble(h), n, m);
                double[] expected = toDouble(before);
                for (int i = 0; i < n; i++) {
                    expected[i * 4 + 2] += g[i];
                }
                assertClose("addGoodness " + what, expected, download(b, scores), ELEM_ATOL, ELEM_RTOL);
            }
        }
    }

    /**
     * Hard negatives: against a float64 reference that draws with the same uniform numbers (53 bits of the
     * counter-based generator), on awkward sizes; then the drawn frequencies against the stated probabilities.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void sampledWrongLabelsFollowTheScores(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(31);
            long seed = 12;
            long stream = 3;
            for (int[] s : new int[][] {{1, 2}, {37, 3}, {129, 10}, {5, 13}}) {
                int n = s[0];
                int classes = s[1];
                float[] scores = uniform(r, n * classes, -1, 3);
                int[] labels = new int[n];
                float[] labelValues = new float[n];
                double[] u = new double[n];
                long key = Noise.streamKey(seed, stream);
                for (int i = 0; i < n; i++) {
                    labels[i] = r.nextInt(classes);
                    labelValues[i] = labels[i];
                    u[i] = (Noise.mix64(key + i * 0xD1B54A32D192ED03L) >>> 11) * 0x1.0p-53;
                }
                Tensor out = b.zeros(n, 1);
                for (float t : new float[] {0f, 1f, 10f}) {
                    b.sampleWrongLabels(upload(b, scores, n, classes), upload(b, labelValues, n, 1), t, seed, stream,
                            out);
                    int[] expected = Reference64.sampleWrongLabels(toDouble(scores), labels, n, classes, t, u);
                    float[] got = download(b, out);
                    for (int i = 0; i < n; i++) {
                        assertEquals(expected[i], got[i], n + "x" + classes + ", temperature " + t + ", row " + i);
                    }
                }
            }
            // frequencies: 4 classes, label r % 4, scores 0, 0.5, 1, 1.5; temperature 2
            int n = 40000;
            float[] scores = new float[n * 4];
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 4;
                for (int j = 0; j < 4; j++) {
                    scores[i * 4 + j] = 0.5f * j;
                }
            }
            Tensor y = upload(b, labels, n, 1);
            Tensor out = b.zeros(n, 1);
            b.sampleWrongLabels(upload(b, scores, n, 4), y, 2f, seed, stream, out);
            float[] w = download(b, out);
            int[][] counts = new int[4][4];
            for (int i = 0; i < n; i++) {
                assertTrue(w[i] != labels[i] && w[i] >= 0 && w[i] < 4, "row " + i + ": " + w[i]);
                counts[(int) labels[i]][(int) w[i]]++;
            }
            for (int label = 0; label < 4; label++) {
                double total = 0;
                for (int j = 0; j < 4; j++) {
                    total += j == label ? 0 : Math.exp(2 * 0.5 * j);
                }
                for (int j = 0; j < 4; j++) {
                    double p = j == label ? 0 : Math.exp(2 * 0.5 * j) / total;
                    double sd = Math.sqrt(n / 4.0 * p * (1 - p));
                    assertEquals(n / 4.0 * p, counts[label][j], 5 * sd + 1e-9, "label " + label + " drawn as " + j);
                }
            }
            Tensor again = b.zeros(n, 1);
            b.sampleWrongLabels(upload(b, scores, n, 4), y, 2f, seed, stream, again);
            assertArrayEquals(w, download(b, again), "same seed and stream");
            b.sampleWrongLabels(upload(b, scores, n, 4), y, 2f, seed, stream + 1, again);
            assertNotEquals(java.util.Arrays.hashCode(w), java.util.Arrays.hashCode(download(b, again)),
                    "another stream");
            // a large temperature picks the best wrong label
            b.sampleWrongLabels(upload(b, new float[] {5, 9, 1, 2, 0, 7, 3, 8, 6}, 3, 3),
                    upload(b, new float[] {1, 2, 0}, 3, 1), 1e4f, seed, stream, out.firstRows(3));
            assertArrayEquals(new float[] {0, 0, 1}, download(b, out.firstRows(3)));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.sampleWrongLabels(b.zeros(3, 4), b.zeros(3, 1), -1f, 1, 1, b.zeros(3, 1)));
            assertTrue(e.getMessage().startsWith("sampleWrongLabels:") && e.getMessage().contains("temperature -1"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> b.sampleWrongLabels(b.zeros(2, 4), b.zeros(3, 1), 1f, 1, 1, b.zeros(3, 1)));
            e = assertThrows(IllegalArgumentException.class, () -> {
                b.sampleWrongLabels(b.zeros(2, 4), upload(b, new float[] {0, 4}, 2, 1), 1f, 1, 1, b.zeros(2, 1));
                b.synchronize();
            });
            assertTrue(e.getMessage().contains("label 4.0 at row 1 is not a class index in [0, 4)"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void wrongLabelsAreNeverTheTrueLabelUniformAndReproducible(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            int n = 9000;
            float[] labels = new float[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 10;
            }
            Tensor y = upload(b, labels, n, 1);
            Tensor wrong = b.zeros(n, 1);
            b.wrongLabels(y, 10, 5, 1, wrong);
            float[] w = download(b, wrong);
            int[] offsets = new int[10];
            for (int i = 0; i < n; i++) {
                int label = (int) labels[i];
                int other = (int) w[i];
                assertTrue(other >= 0 && other < 10 && other != label && other == w[i], "row " + i + ": " + w[i]);
                offsets[(other - label + 10) % 10]++;
            }
            // offsets 1..9 equally likely: 1000 each, standard deviation about 30
            for (int k = 1; k < 10; k++) {
                assertEquals(1000, offsets[k], 150, "offset " + k);
            }
            Tensor again = b.zeros(n, 1);
            b.wrongLabels(y, 10, 5, 1, again);
            assertArrayEquals(w, download(b, again), "same seed and stream");
            b.wrongLabels(y, 10, 5, 2, again);
            assertNotEquals(java.util.Arrays.hashCode(w), java.util.Arrays.hashCode(download(b, again)),
                    "another stream");
            Tensor two = b.zeros(3, 1);
            b.wrongLabels(upload(b, new float[] {0, 1, 0}, 3, 1), 2, 5, 1, two);
            assertArrayEquals(new float[] {1, 0, 1}, download(b, two), "with two classes the other one");
        }
    }

    /** The goodness loss's gradient against central differences of the float64 loss. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void goodnessGradientMatchesFiniteDifferences(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(10);
            int n = 4;
            int m = 7;
            float[] h = uniform(r, n * m, 0, 1.5);
            double[] hd = toDouble(h);
            Tensor dh = b.zeros(n, m);
            for (float sign : new float[] {1f, -1f, 30f, -30f}) {
                b.goodnessLoss(upload(b, h, n, m), sign, 0.6f, dh, b.zeros(1, 1), 0);
                FiniteDifferences.check("d loss / d h, scale " + sign, FiniteDifferences.of(hd),
                        toDouble(download(b, dh)), () -> Reference64.goodnessLoss(hd, n, m, sign, 0.6, null),
                        new FiniteDifferences.Tolerance(1e-6, 0, 1e-7, 1e-4, 0, 0, Double.POSITIVE_INFINITY, 0, 0));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adamWWithAScaledLearningRateMatchesReferenceOverSeveralSteps(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(9);
            AdamW h = new AdamW(3e-3, 0.9, 0.99, 1e-8, 0.05);
            for (int size : new int[] {1, 17, 5000, 70001}) {
                int decay = size / 2;
                float[] p = uniform(r, size, -1, 1);
                double[] pr = toDouble(p);
                double[] mr = new double[size];
                double[] vr = new double[size];
                Tensor pt = upload(b, p, 1, size);
                Tensor gt = b.zeros(1, size);
                Tensor mt = b.zeros(1, size);
                Tensor vt = b.zeros(1, size);
                for (int step = 1; step <= 3; step++) {
                    float[] g = uniform(r, size, -1, 1);
                    b.upload(g, 0, gt);
                    b.adamW(h, 0.5f, step, pt, gt, mt, vt, decay);
                    Reference64.adamW(h.withLr(h.lr() * 0.5), step, pr, toDouble(g), mr, vr, decay);
                }
                assertClose("adamW params size " + size, pr, download(b, pt), 1e-6, 1e-5);
                assertClose("adamW m size " + size, mr, download(b, mt), 1e-7, 1e-5);
                assertClose("adamW v size " + size, vr, download(b, vt), 1e-8, 1e-5);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adamWOnViewsAtDifferentOffsetsMatchesTheAlignedCase(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(10);
            AdamW h = new AdamW(1e-2, 0.9, 0.999, 1e-8, 0.1);
            int size = 40001;
            float[] p = uniform(r, size, -1, 1);
            float[] g = uniform(r, size, -1, 1);
            Tensor pa = upload(b, p, 1, size);
            Tensor ga = upload(b, g, 1, size);
            Tensor ma = b.zeros(1, size);
            Tensor va = b.zeros(1, size);
            Tensor big = b.zeros(1, size + 7);
            Tensor pv = big.view(5, 1, size);
            b.upload(p, 0, pv);
            Tensor gv = b.zeros(1, size + 2).view(1, 1, size);
            b.upload(g, 0, gv);
            Tensor mv = b.zeros(1, size + 3).view(3, 1, size);
            Tensor vv = b.zeros(1, size);
            for (int step = 1; step <= 2; step++) {
                b.adamW(h, 1f, step, pa, ga, ma, va, size / 3);
                b.adamW(h, 1f, step, pv, gv, mv, vv, size / 3);
            }
            assertArrayEquals(download(b, pa), download(b, pv), "same parameters through either loop");
            assertArrayEquals(download(b, ma), download(b, mv), "same first moments through either loop");
        }
    }

    /**
     * Worked by hand, lr 0.1, betas (0.9, 0.999), weight decay 0.01, p = 1, gradients 0.5 then 0.1:
     * step 1: p = 0.999; m = 0.05, v = 0.00025; m/(1-0.9) = 0.5, sqrt(v/(1-0.999)) = 0.5; p = 0.999 - 0.1 = 0.899.
     * step 2: p = 0.899 * 0.999 = 0.898101; m = 0.055, v = 0.00025975; m/0.19 = 0.2894737,
     * sqrt(v/0.001999) = 0.3604719; p = 0.898101 - 0.1 * 0.2894737 / 0.3604719 = 0.8177969.
     * The bias (decayCount = 1 excludes it) gets the same steps without decay: 1 - 0.1 - 0.0803040 = 0.8196960.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adamWTwoStepsMatchHandComputedValues(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            AdamW h = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.01);
            Tensor p = upload(b, new float[] {1f, 1f}, 1, 2);
            Tensor g = b.zeros(1, 2);
            Tensor m = b.zeros(1, 2);
            Tensor v = b.zeros(1, 2);
            b.upload(new float[] {0.5f, 0.5f}, 0, g);
            b.adamW(h, 1f, 1, p, g, m, v, 1);
            assertClose("after step 1", new double[] {0.899, 0.9}, download(b, p), 1e-6, 0);
            b.upload(new float[] {0.1f, 0.1f}, 0, g);
            b.adamW(h, 1f, 2, p, g, m, v, 1);
            assertClose("after step 2", new double[] {0.8177969, 0.8196960}, download(b, p), 2e-6, 0);
            assertClose("first moment", new double[] {0.055, 0.055}, download(b, m), 1e-8, 1e-6);
            assertClose("second moment", new double[] {0.00025975, 0.00025975}, download(b, v), 1e-10, 1e-5);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void corruptionHasTheRequestedStatisticsAndIsReproducible(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            int n = 200;
            int m = 500;
            float[] ones = new float[n * m];
            java.util.Arrays.fill(ones, 1f);
            Tensor x = upload(b, ones, n, m);
            Tensor out = b.zeros(n, m);
            b.corrupt(x, new Noise(0.5f, 0.25f), 42, 7, out);
            float[] y = download(b, out);
            int masked = 0;
            double sum = 0;
            double sq = 0;
            for (float v : y) {
                if (v == 0f) {
                    masked++;
                } else {
                    sum += v - 1;
                    sq += (v - 1) * (v - 1);
                }
            }
            int kept = y.length - masked;
            double fraction = masked / (double) y.length;
            double mean = sum / kept;
            double std = Math.sqrt(sq / kept - mean * mean);
            // 100000 draws: the standard error of the fraction is 0.0014 and of the mean 0.0018
            assertEquals(0.25, fraction, 0.01, "masked fraction");
            assertEquals(0.0, mean, 0.01, "noise mean");
            assertEquals(0.5, std, 0.01, "noise std");

            Tensor again = b.zeros(n, m);
            b.corrupt(x, new Noise(0.5f, 0.25f), 42, 7, again);
            assertArrayEquals(y, download(b, again), "same seed and stream give the same corruption");
            b.corrupt(x, new Noise(0.5f, 0.25f), 42, 8, again);
            assertNotEquals(java.util.Arrays.hashCode(y), java.util.Arrays.hashCode(download(b, again)),
                    "another stream gives other noise");
            try (Backend reference = Backends.all().get(0).factory().get()) {
                Tensor xr = upload(reference, ones, n, m);
                Tensor yr = reference.zeros(n, m);
                reference.corrupt(xr, new Noise(0.5f, 0.25f), 42, 7, yr);
                assertClose("corruption equals the first backend's", toDouble(download(reference, yr)), y, 1e-6, 1e-6);
            }
            b.corrupt(x, Noise.NONE, 42, 7, out);
            assertArrayEquals(ones, download(b, out), "no noise copies the input");
        }
    }

    /**
     * randn against the float64 reference on awkward sizes, on views that start mid-pair, with its statistics, its
     * reproducibility, and the promise of its documentation: for mean 0 its numbers are exactly the Gaussian noise
     * corrupt adds to zeros for the same seed and stream.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void randnMatchesReferenceAndIsTheNoiseCorruptAdds(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            for (int[] shape : new int[][] {{1, 1}, {1, 2}, {3, 5}, {17, 33}, {64, 129}}) {
                int size = shape[0] * shape[1];
                Tensor out = b.zeros(shape[0], shape[1]);
                b.randn(out, 0.25f, 1.5f, 9, 4);
                assertClose("randn " + shape[0] + "x" + shape[1], Reference64.randn(size, 0.25, 1.5, 9, 4),
                        download(b, out), ELEM_ATOL, ELEM_RTOL);
                Tensor zeros = b.zeros(shape[0], shape[1]);
                Tensor noise = b.zeros(shape[0], shape[1]);
                b.corrupt(zeros, new Noise(1.5f, 0f), 9, 4, noise);
                b.randn(out, 0f, 1.5f, 9, 4);
                assertArrayEquals(download(b, noise), download(b, out), "randn is corrupt's noise");
            }
            // a view at an odd offset: its element 0 is element 1 of the generator's stream for the view
            Tensor whole = b.zeros(1, 10);
            b.randn(whole.view(1, 1, 9), 0f, 1f, 3, 2);
            assertClose("randn on a view", Reference64.randn(9, 0, 1, 3, 2), download(b, whole.view(1, 1, 9)),
                    ELEM_ATOL, ELEM_RTOL);

            int n = 200 * 500;
            Tensor big = b.zeros(200, 500);
            b.randn(big, -2f, 0.5f, 42, 7);
            float[] y = download(b, big);
            double sum = 0;
            double sq = 0;
            for (float v : y) {
                sum += v;
                sq += (double) v * v;
            }
            double mean = sum / n;
            double std = Math.sqrt(sq / n - mean * mean);
            // 100000 draws: the standard error of the mean is 0.0016, of the std about 0.0011
            assertEquals(-2.0, mean, 0.01, "mean");
            assertEquals(0.5, std, 0.01, "std");
            Tensor again = b.zeros(200, 500);
            b.randn(again, -2f, 0.5f, 42, 7);
            assertArrayEquals(y, download(b, again), "same seed and stream give the same numbers");
            b.randn(again, -2f, 0.5f, 42, 8);
            assertNotEquals(java.util.Arrays.hashCode(y), java.util.Arrays.hashCode(download(b, again)),
                    "another stream gives other numbers");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void mulMaskMatchesReferenceAlsoInPlace(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            SplittableRandom r = new SplittableRandom(12);
            for (int[] shape : new int[][] {{1, 1}, {3, 5}, {17, 257}}) {
                int size = shape[0] * shape[1];
                float[] x = uniform(r, size, -2, 2);
                float[] mask = uniform(r, size, 0, 1);
                for (int i = 0; i < size; i += 3) {
                    mask[i] = 0f;
                }
                double[] expected = Reference64.mulMask(toDouble(x), toDouble(mask));
                Tensor xt = upload(b, x, shape[0], shape[1]);
                Tensor mt = upload(b, mask, shape[0], shape[1]);
                Tensor out = b.zeros(shape[0], shape[1]);
                b.mulMask(xt, mt, out);
                assertClose("mulMask " + shape[0] + "x" + shape[1], expected, download(b, out), ELEM_ATOL, ELEM_RTOL);
                b.mulMask(xt, mt, xt);
                assertArrayEquals(download(b, out), download(b, xt), "in place");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void transfersAndColumnOpsMoveTheRightElements(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            float[] src = {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32};
            Tensor t = b.zeros(3, 3);
            b.uploadRows(src, new int[] {9, 3, 0, 2}, 1, t);
            assertArrayEquals(new float[] {30, 31, 32, 0, 1, 2, 20, 21, 22}, download(b, t));
            Tensor labels = b.zeros(2, 1);
            b.uploadLabels(new int[] {4, 5, 6, 7}, new int[] {3, 1}, 0, labels);
            assertArrayEquals(new float[] {7, 5}, download(b, labels));

            Tensor wide = b.zeros(3, 5);
            b.fill(wide, -1f);
            b.copyColumns(t, wide, 2);
            assertArrayEquals(new float[] {-1, -1, 30, 31, 32, -1, -1, 0, 1, 2, -1, -1, 20, 21, 22}, download(b, wide));
            Tensor narrow = b.zeros(3, 2);
            b.fill(narrow, 100f);
            b.addColumns(wide, 1, narrow);
            assertArrayEquals(new float[] {99, 130, 99, 100, 99, 120}, download(b, narrow));

            Tensor view = t.view(3, 2, 3);
            float[] got = new float[8];
            b.download(view, got, 2);
            assertArrayEquals(new float[] {0, 0, 0, 1, 2, 20, 21, 22}, got);
            Tensor copy = b.zeros(2, 3);
            b.copy(view, copy);
            assertArrayEquals(new float[] {0, 1, 2, 20, 21, 22}, download(b, copy));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void shapeMismatchesAreRejectedWithTheOpName(Backends.Case c) {
        try (Backend b = c.factory().get()) {
            Tensor x = b.zeros(4, 3);
            Tensor w = b.zeros(5, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.denseForward(x, w, b.zeros(1, 2), Epilogue.of(Activation.RELU), b.zeros(4, 2), null,
                            null));
            assertTrue(e.getMessage().startsWith("denseForward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.mseLoss(x, b.zeros(4, 4), x, x, b.zeros(1, 1), 0));
            assertTrue(e.getMessage().startsWith("mseLoss:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.softmaxCrossEntropy(x, b.zeros(4, 1), x, b.zeros(1, 1), 0));
            assertTrue(e.getMessage().contains("slot"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.goodnessLoss(x, 0f, 1f, b.zeros(4, 3), b.zeros(1, 1), 0));
            assertTrue(e.getMessage().startsWith("goodnessLoss:") && e.getMessage().contains("scale 0.0"),
                    e.getMessage());

            ConvShape s = new ConvShape(1, 2, 2, 3, 2, 1, 0);
            Tensor img = b.zeros(4, 4);
            Tensor cw = b.zeros(3, 4);
            Tensor cb = b.zeros(1, 3);
            Tensor co = b.zeros(4, 3);
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.conv2dForward(img, s, b.zeros(3, 5), cb, Activation.RELU, co, null));
            assertTrue(e.getMessage().startsWith("conv2dForward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.conv2dForward(img, s, cw, cb, Activation.RELU, co, b.zeros(4, 4)));
            assertTrue(e.getMessage().startsWith("conv2dForward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.conv2dBackward(img, s, cw, co, cw, b.zeros(1, 2), null));
            assertTrue(e.getMessage().startsWith("conv2dBackward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.conv2dBackward(img, s, cw, co, cw, cb, b.zeros(4, 3)));
            assertTrue(e.getMessage().startsWith("conv2dBackward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.maxPool2dForward(b.zeros(2, 9), 1, 3, 3, 2, b.zeros(2, 1), b.zeros(2, 1)));
            assertTrue(e.getMessage().startsWith("maxPool2dForward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.maxPool2dForward(b.zeros(2, 16), 1, 4, 4, 2, b.zeros(2, 4), b.zeros(2, 3)));
            assertTrue(e.getMessage().startsWith("maxPool2dForward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.maxPool2dBackward(b.zeros(2, 4), b.zeros(2, 4), b.zeros(3, 16)));
            assertTrue(e.getMessage().startsWith("maxPool2dBackward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.upsample2dForward(b.zeros(2, 6), 1, 2, 3, 2, b.zeros(2, 25)));
            assertTrue(e.getMessage().startsWith("upsample2dForward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> b.upsample2dBackward(b.zeros(2, 24), 1, 2, 3, 2, b.zeros(2, 5)));
            assertTrue(e.getMessage().startsWith("upsample2dBackward:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new ConvShape(1, 2, 2, 1, 3, 1, 0));
            assertTrue(e.getMessage().startsWith("ConvShape:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.mulMask(x, b.zeros(3, 4), x));
            assertTrue(e.getMessage().startsWith("mulMask:"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.randn(x, 0f, -1f, 1, 1));
            assertTrue(e.getMessage().startsWith("randn:") && e.getMessage().contains("std -1.0"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> b.randn(x, Float.NaN, 1f, 1, 1));
            assertTrue(e.getMessage().startsWith("randn:"), e.getMessage());
        }
    }
}
