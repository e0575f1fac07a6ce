package dev.uff4j.backend;

import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static dev.uff4j.backend.TestArrays.download;
import static dev.uff4j.backend.TestArrays.toDouble;
import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;

/**
 * Finite-difference checks of the CPU backend's convolution, max-pooling and upsampling backwards: the float32
 * gradients the backend writes (through {@link Backend#epilogueBackward} for the activation, as a model calls it)
 * are compared with central differences of the scalar loss {@code L = Σ r·out} for fixed random r, where out comes
 * from the float64 reference, so the differences carry no float32 rounding. h = 1e-5; agreement within 1e-5
 * absolute + 1e-4 relative (the backend's float32 sums of a few hundred terms); components on a kink (ReLU at zero,
 * a max-pool tie within the step) are skipped, at most a tenth of them.
 */
class ConvGradientCheckTest {
    /** Kinks: one-sided slopes that differ by more than 1e-4 relative; at most a tenth of the components. */
    private static final FiniteDifferences.Tolerance TOLERANCE =
            new FiniteDifferences.Tolerance(1e-5, 0, 1e-5, 1e-4, 0, 0, 1e-4, 0, 0.1);

    private static void check(String what, double[] theta, float[] analytic, ToDoubleFunction<double[]> loss) {
        FiniteDifferences.check(what, FiniteDifferences.of(theta), toDouble(analytic), () -> loss.applyAsDouble(theta),
                TOLERANCE);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void checkConv(int n, ConvShape s, Activation act, long seed) {
        try (Backend b = new CpuBackend(2)) {
            SplittableRandom r = new SplittableRandom(seed);
            float[] x = uniform(r, n * s.inSize(), -1, 1);
            double scale = 1 / Math.sqrt(s.patch());
            float[] w = uniform(r, s.outChannels() * s.patch(), -scale, scale);
            float[] bias = uniform(r, s.outChannels(), -0.5, 0.5);
            float[] g = uniform(r, n * s.outSize(), -1, 1);
            Tensor xt = upload(b, x, n, s.inSize());
            Tensor wt = upload(b, w, s.outChannels(), s.patch());
            Tensor y = b.zeros(n, s.outSize());
            Tensor d = b.zeros(n, s.outSize());
            b.conv2dForward(xt, s, wt, upload(b, bias, 1, s.outChannels()), act, y, d);
            Tensor dz = b.zeros(n, s.outSize());
            b.epilogueBackward(upload(b, g, n, s.outSize()), y, d, null, Epilogue.of(act), dz);
            Tensor dw = b.zeros(s.outChannels(), s.patch());
            Tensor db = b.zeros(1, s.outChannels());
            Tensor dx = b.zeros(n, s.inSize());
            b.conv2dBackward(xt, s, wt, dz, dw, db, dx);

            double[] xd = toDouble(x);
            double[] wd = toDouble(w);
            double[] bd = toDouble(bias);
            double[] gd = toDouble(g);
            String what = "n=" + n + " " + s + " " + act;
            check("dw " + what, wd, download(b, dw),
                    p -> dot(gd, Reference64.conv2dForward(xd, p, bd, n, s, act).out()));
            check("db " + what, bd, download(b, db),
                    p -> dot(gd, Reference64.conv2dForward(xd, wd, p, n, s, act).out()));
            check("dx " + what, xd, download(b, dx),
                    p -> dot(gd, Reference64.conv2dForward(p, wd, bd, n, s, act).out()));
        }
    }

    @Test
    void convolutionWithStrideAndPaddingThroughTanh() {
        checkConv(2, new ConvShape(2, 5, 7, 3, 3, 2, 1), Activation.TANH, 31);
    }

    @Test
    void convolutionWithoutPaddingThroughSigmoid() {
        checkConv(3, new ConvShape(3, 4, 4, 2, 2, 1, 0), Activation.SIGMOID, 32);
    }

    @Test
    void convolutionWithPaddingThroughRelu() {
        checkConv(2, new ConvShape(1, 6, 6, 4, 3, 1, 1), Activation.RELU, 33);
    }

    @Test
    void convolutionWithAWideKernelAndIdentity() {
        checkConv(1, new ConvShape(2, 6, 5, 2, 5, 2, 2), Activation.IDENTITY, 34);
    }

    @Test
    void maxPoolingAndUpsampling() {
        try (Backend b = new CpuBackend(2)) {
            SplittableRandom r = new SplittableRandom(35);
            int n = 2;
            int channels = 3;
            int height = 4;
            int width = 6;
            int inSize = channels * height * width;
            float[] x = uniform(r, n * inSize, -1, 1); // distinct values: no ties within h
            // window 2, and 1 (no pooling, as a cae cell on an odd-sized input uses it: a copy)
            for (int size : new int[] {2, 1}) {
                int outSize = inSize / (size * size);
                float[] g = uniform(r, n * outSize, -1, 1);
                Tensor out = b.zeros(n, outSize);
                Tensor argmax = b.zeros(n, outSize);
                b.maxPool2dForward(upload(b, x, n, inSize), channels, height, width, size, out, argmax);
                Tensor dx = b.zeros(n, inSize);
                b.maxPool2dBackward(upload(b, g, n, outSize), argmax, dx);
                double[] gd = toDouble(g);
                check("max pool " + size, toDouble(x), download(b, dx),
                        p -> dot(gd, Reference64.maxPool2dForward(p, n, channels, height, width, size)[0]));
            }

            for (int f : new int[] {1, 2, 3}) {
                int large = inSize * f * f;
                float[] gu = uniform(r, n * large, -1, 1);
                Tensor dxu = b.zeros(n, inSize);
                b.upsample2dBackward(upload(b, gu, n, large), channels, height, width, f, dxu);
                double[] gud = toDouble(gu);
                check("upsample " + f, toDouble(x), download(b, dxu),
                        p -> dot(gud, Reference64.upsample2dForward(p, n, channels, height, width, f)));
            }
        }
    }
}
