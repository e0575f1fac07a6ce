package dev.uff4j.backend;

import dev.uff4j.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Finite-difference checks of the float64 reference's gradients: central differences with h = 1e-6 agree with the
 * analytic gradient to 1e-6 relative (plus 1e-8 absolute). Backends are then held to this reference op by op.
 */
class Reference64Test {
    private static final FiniteDifferences.Tolerance TOLERANCE = FiniteDifferences.Tolerance.float64(1e-6, 1e-8, 1e-6);

    private static void checkGradient(String what, double[] point, double[] analytic, ToDoubleFunction<double[]> f) {
        FiniteDifferences.check(what, FiniteDifferences.of(point), analytic, () -> f.applyAsDouble(point), TOLERANCE);
    }

    private static double[] random(SplittableRandom r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void denseLayerGradientsMatchFiniteDifferencesForEveryEpilogue() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 3;
        int in = 7;
        int out = 6;
        for (Epilogue e : BackendOpsTest.epilogues()) {
            double[] x = random(r, n * in, -1, 1);
            double[] w = random(r, in * out, -1, 1);
            double[] b = random(r, out, -0.5, 0.5);
            double[] g = random(r, n * out, -1, 1); // L = sum(g * y)
            Reference64.Dense f = Reference64.denseForward(x, w, b, n, in, out, e);
            double[] dz = Reference64.epilogueBackward(g, f, n, out, e);
            double[][] grads = Reference64.denseBackward(x, w, dz, n, in, out);
            checkGradient("dL/dw " + e, w, grads[0], p -> dot(g, Reference64.denseForward(x, p, b, n, in, out, e).out()));
            checkGradient("dL/db " + e, b, grads[1], p -> dot(g, Reference64.denseForward(x, w, p, n, in, out, e).out()));
            checkGradient("dL/dx " + e, x, grads[2], p -> dot(g, Reference64.denseForward(p, w, b, n, in, out, e).out()));
        }
    }

    /**
     * By hand: the image 1..9 (3x3), kernel [[1, 2], [3, 4]], bias 0.5. Stride 1, no padding: each output is the dot
     * product of a 2x2 window with the kernel (1·1 + 2·2 + 4·3 + 5·4 = 37, ...). With dz = 1 everywhere, db = 4,
     * dw[i][j] = the sum of the inputs under tap (i, j) (1 + 2 + 4 + 5 = 12, ...) and dx = the sum of the taps that
     * touch each input. Stride 2 with padding 1: the windows tile the padded 4x4 corner without overlap, so each input
     * meets exactly one tap.
     */
    @Test
    void convolutionByHand() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        double[] w = {1, 2, 3, 4};
        double[] b = {0.5};
        double[] ones = {1, 1, 1, 1};
        ConvShape valid = new ConvShape(1, 3, 3, 1, 2, 1, 0);
        assertArrayEquals(new double[] {37.5, 47.5, 67.5, 77.5},
                Reference64.conv2dForward(x, w, b, 1, valid, Activation.IDENTITY).out(), 1e-12);
        double[][] g = Reference64.conv2dBackward(x, w, ones, 1, valid);
        assertArrayEquals(new double[] {12, 16, 24, 28}, g[0], 1e-12, "dw, stride 1");
        assertArrayEquals(new double[] {4}, g[1], 1e-12, "db, stride 1");
        assertArrayEquals(new double[] {1, 3, 2, 4, 10, 6, 3, 7, 4}, g[2], 1e-12, "dx, stride 1");

        ConvShape strided = new ConvShape(1, 3, 3, 1, 2, 2, 1);
        assertEquals(2, strided.outHeight());
        assertEquals(2, strided.outWidth());
        // padded image rows: 0 0 0 0 0 / 0 1 2 3 0 / 0 4 5 6 0 / 0 7 8 9 0; windows at (0,0), (0,2), (2,0), (2,2)
        assertArrayEquals(new double[] {4.5, 18.5, 36.5, 77.5},
                Reference64.conv2dForward(x, w, b, 1, strided, Activation.IDENTITY).out(), 1e-12);
        g = Reference64.conv2dBackward(x, w, ones, 1, strided);
        assertArrayEquals(new double[] {5, 10, 10, 20}, g[0], 1e-12, "dw, stride 2 padding 1");
        assertArrayEquals(new double[] {4}, g[1], 1e-12, "db, stride 2 padding 1");
        assertArrayEquals(new double[] {4, 3, 4, 2, 1, 2, 4, 3, 4}, g[2], 1e-12, "dx, stride 2 padding 1");
    }

    /** By hand: 2x2 max pooling of a 4x4 plane with ties (the first in row-major order wins), and 2x upsampling. */
    @Test
    void poolingAndUpsamplingByHand() {
        double[] x = {
            1, 3, 2, 2,
            3, 0, 2, 2,
            -1, -2, 5, 4,
            -3, -1, 4, 5};
        double[][] pooled = Reference64.maxPool2dForward(x, 1, 1, 4, 4, 2);
        assertArrayEquals(new double[] {3, 2, -1, 5}, pooled[0], 0);
        assertArrayEquals(new double[] {1, 2, 8, 10}, pooled[1], 0, "first maximum in row-major order");
        double[] dx = Reference64.maxPool2dBackward(new double[] {10, 20, 30, 40}, pooled[1], 1, 16);
        assertArrayEquals(new double[] {0, 10, 20, 0, 0, 0, 0, 0, 30, 0, 40, 0, 0, 0, 0, 0}, dx, 0);

        double[] up = Reference64.upsample2dForward(new double[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3, 2);
        assertArrayEquals(new double[] {
            1, 1, 2, 2, 3, 3,
            1, 1, 2, 2, 3, 3,
            4, 4, 5, 5, 6, 6,
            4, 4, 5, 5, 6, 6}, up, 0);
        double[] back = Reference64.upsample2dBackward(up, 1, 1, 2, 3, 2);
        assertArrayEquals(new double[] {4, 8, 12, 16, 20, 24}, back, 0);
    }

    @Test
    void convolutionGradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(5);
        ConvShape[] shapes = {new ConvShape(2, 5, 4, 3, 3, 1, 1), new ConvShape(3, 5, 7, 2, 3, 2, 1),
                new ConvShape(1, 1, 1, 2, 1, 1, 0), new ConvShape(2, 6, 5, 2, 5, 2, 2)};
        for (ConvShape s : shapes) {
            for (Activation act : new Activation[] {Activation.IDENTITY, Activation.TANH, Activation.SIGMOID}) {
                int n = 2;
                double[] x = random(r, n * s.inSize(), -1, 1);
                double[] w = random(r, s.outChannels() * s.patch(), -0.5, 0.5);
                double[] b = random(r, s.outChannels(), -0.5, 0.5);
                double[] g = random(r, n * s.outSize(), -1, 1); // L = sum(g * y)
                Reference64.Dense f = Reference64.conv2dForward(x, w, b, n, s, act);
                double[] dz = new double[g.length];
                for (int i = 0; i < g.length; i++) {
                    dz[i] = g[i] * f.deriv()[i];
                }
                double[][] grads = Reference64.conv2dBackward(x, w, dz, n, s);
                String what = s + " " + act;
                checkGradient("dL/dw " + what, w, grads[0],
                        p -> dot(g, Reference64.conv2dForward(x, p, b, n, s, act).out()));
                checkGradient("dL/db " + what, b, grads[1],
                        p -> dot(g, Reference64.conv2dForward(x, w, p, n, s, act).out()));
                checkGradient("dL/dx " + what, x, grads[2],
                        p -> dot(g, Reference64.conv2dForward(p, w, b, n, s, act).out()));
            }
        }
    }

    @Test
    void poolingAndUpsamplingGradientsMatchFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 2;
        double[] x = random(r, n * 3 * 4 * 6, -1, 1); // distinct values: no ties within 2h
        double[] g = random(r, n * 3 * 2 * 3, -1, 1);
        double[][] pooled = Reference64.maxPool2dForward(x, n, 3, 4, 6, 2);
        checkGradient("max pool", x, Reference64.maxPool2dBackward(g, pooled[1], n, 3 * 4 * 6),
                p -> dot(g, Reference64.maxPool2dForward(p, n, 3, 4, 6, 2)[0]));
        double[] small = random(r, n * 2 * 3 * 2, -1, 1);
        double[] gu = random(r, n * 2 * 9 * 6, -1, 1);
        checkGradient("upsample x3", small, Reference64.upsample2dBackward(gu, n, 2, 3, 2, 3),
                p -> dot(gu, Reference64.upsample2dForward(p, n, 2, 3, 2, 3)));
    }

    @Test
    void mseGradientThroughSigmoidMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(2);
        int size = 24;
        double[] z = random(r, size, -3, 3);
        double[] target = random(r, size, 0, 1);
        ToDoubleFunction<double[]> loss = p -> {
            double[] out = new double[size];
            for (int i = 0; i < size; i++) {
                out[i] = Reference64.activate(Activation.SIGMOID, p[i]);
            }
            return Reference64.mseLoss(out, target, new double[size], new double[size]);
        };
        double[] out = new double[size];
        double[] deriv = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = Reference64.activate(Activation.SIGMOID, z[i]);
            deriv[i] = Reference64.activationDerivative(Activation.SIGMOID, z[i]);
        }
        double[] dz = new double[size];
        Reference64.mseLoss(out, target, deriv, dz);
        checkGradient("mse dz", z, dz, loss);
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 4;
        int k = 5;
        double[] logits = random(r, n * k, -4, 4);
        int[] labels = {0, 4, 2, 2};
        double[] g = new double[n * k];
        double[] res = Reference64.softmaxCrossEntropy(logits, labels, n, k, g);
        checkGradient("cross-entropy", logits, g,
                p -> Reference64.softmaxCrossEntropy(p, labels, n, k, new double[n * k])[0]);
        double manual = 0;
        for (int row = 0; row < n; row++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits[row * k + j]);
            }
            manual += Math.log(sum) - logits[row * k + labels[row]];
        }
        assertEquals(manual / n, res[0], 1e-12, "loss is the mean negative log-likelihood");
    }

    @Test
    void maskMultiplyGradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(7);
        double[] x = random(r, 15, -1, 1);
        double[] mask = random(r, 15, 0, 2);
        mask[3] = 0;
        mask[8] = 1;
        double[] g = random(r, 15, -1, 1);
        checkGradient("mulMask", x, Reference64.mulMask(g, mask), p -> dot(g, Reference64.mulMask(p, mask)));
    }

    @Test
    void l1GradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(4);
        double[] a = random(r, 12, -1, 1);
        double[] g = new double[12];
        Reference64.l1Penalty(a, 3, 0.7, g);
        checkGradient("l1", a, g, p -> Reference64.l1Penalty(p, 3, 0.7, new double[12]));
    }

    @Test
    void adamWFirstStepMovesEachWeightByLearningRateTimesSign() {
        // At step 1 the bias-corrected update is lr * g / (|g| + eps) = lr * sign(g) for |g| >> eps, after decay.
        AdamW h = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.5);
        double[] p = {1.0, -2.0, 3.0};
        double[] g = {0.5, -0.25, 2.0};
        Reference64.adamW(h, 1, p, g, new double[3], new double[3], 2);
        assertEquals(1.0 * (1 - 0.05) - 0.1, p[0], 1e-7);
        assertEquals(-2.0 * (1 - 0.05) + 0.1, p[1], 1e-7);
        assertEquals(3.0 - 0.1, p[2], 1e-7, "no decay beyond decayCount");
    }
}
