package dev.uff4j.backend;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/** Random inputs and comparisons for op tests. */
public final class TestArrays {
    private TestArrays() {
    }

    public static float[] uniform(SplittableRandom r, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return a;
    }

    public static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    public static Tensor upload(Backend b, float[] values, int rows, int cols) {
        Tensor t = b.zeros(rows, cols);
        b.upload(values, 0, t);
        return t;
    }

    public static float[] download(Backend b, Tensor t) {
        float[] out = new float[t.size()];
        b.download(t, out, 0);
        return out;
    }

    /**
     * Fails unless {@code |actual - expected| <= atol + rtol·|expected|} everywhere, naming the first bad index.
     */
    public static void assertClose(String what, double[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i]))) {
                fail(String.format("%s: element %d is %.9g, expected %.9g (error %.3g > %.3g + %.3g*|expected|)",
                        what, i, actual[i], expected[i], err, atol, rtol));
            }
        }
    }

    public static void assertClose(String what, double expected, double actual, double atol, double rtol) {
        assertClose(what, new double[] {expected}, new float[] {(float) actual}, atol, rtol);
    }
}
