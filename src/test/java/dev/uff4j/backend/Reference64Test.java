package dev.uff4j.backend;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finite-difference checks of the float64 reference's gradients: central differences with h = 1e-6 agree with the
 * analytic gradient to 1e-6 relative (plus 1e-8 absolute). Backends are then held to this reference op by op.
 */
class Reference64Test {
    private static final double H = 1e-6;

    private static void checkGradient(String what, double[] point, double[] analytic, ToDoubleFunction<double[]> f) {
        for (int i = 0; i < point.length; i++) {
            double saved = point[i];
            point[i] = saved + H;
            double up = f.applyAsDouble(point);
            point[i] = saved - H;
            double down = f.applyAsDouble(point);
            point[i] = saved;
            double numeric = (up - down) / (2 * H);
            double err = Math.abs(numeric - analytic[i]);
            if (err > 1e-8 + 1e-6 * Math.abs(numeric) + 1e-6 * Math.abs(analytic[i])) {
                fail(String.format("%s: d/d[%d] analytic %.10g, finite difference %.10g", what, i, analytic[i],
                        numeric));
            }
        }
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
            return Reference64.mse(out, target, new double[size], new double[size]);
        };
        double[] out = new double[size];
        double[] deriv = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = Reference64.activate(Activation.SIGMOID, z[i]);
            deriv[i] = Reference64.activationDerivative(Activation.SIGMOID, z[i]);
        }
        double[] dz = new double[size];
        Reference64.mse(out, target, deriv, dz);
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
    void l1GradientMatchesFiniteDifferences() {
        SplittableRandom r = new SplittableRandom(4);
        double[] a = random(r, 12, -1, 1);
        double[] g = new double[12];
        Reference64.l1(a, 3, 0.7, g);
        checkGradient("l1", a, g, p -> Reference64.l1(p, 3, 0.7, new double[12]));
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
