package dev.uff4j.testing;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one finite-difference gradient check of the test suite: central differences of a scalar loss, component by
 * component, against an analytic gradient. The float64 reference, the backend's ops and the models' composed
 * gradients each use it with their own {@link Tolerance}.
 *
 * <p>The point is perturbed in place and restored, so the loss just reads it. For float32 parameters the step taken
 * is the one the stored value really moved by, not the nominal one. A component whose two one-sided slopes
 * disagree sits on a kink within the step (ReLU at zero, a max-pool or top-k tie) and is skipped; a tolerance says
 * how many may be. An analytic gradient that is zero everywhere fails: such a check would prove nothing.
 */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** A vector of parameters the check perturbs in place. */
    public interface Point {
        int size();

        double get(int i);

        /** Stores {@code value} (rounded to the storage's precision). */
        void set(int i, double value);
    }

    public static Point of(double[] a) {
        return new Point() {
            public int size() {
                return a.length;
            }

            public double get(int i) {
                return a[i];
            }

            public void set(int i, double value) {
                a[i] = value;
            }
        };
    }

    public static Point of(float[] a) {
        return new Point() {
            public int size() {
                return a.length;
            }

            public double get(int i) {
                return a[i];
            }

            public void set(int i, double value) {
                a[i] = (float) value;
            }
        };
    }

    /**
     * How a check runs and what it accepts. A component passes when
     * {@code |numeric - analytic| <= atol + rtol·|numeric| + analyticRtol·|analytic| + maxRtol·max|analytic|}; it
     * sits on a kink when its one-sided slopes differ by more than {@code kinkRtol·(1 + |right slope|) +
     * kinkMaxRtol·max|analytic|}.
     *
     * @param h          the step
     * @param components how many components to check, spread evenly over the vector (0: every one)
     * @param kinkShare  the largest share of checked components that may sit on kinks (0: none may)
     */
    public record Tolerance(double h, int components, double atol, double rtol, double analyticRtol, double maxRtol,
                            double kinkRtol, double kinkMaxRtol, double kinkShare) {
        /** For losses computed in float64 throughout: every component, no kinks expected. */
        public static Tolerance float64(double h, double atol, double rtol) {
            return new Tolerance(h, 0, atol, rtol, rtol, 0, Double.POSITIVE_INFINITY, 0, 0);
        }
    }

    /** Checks {@code analytic}, the gradient of {@code loss} at {@code point}; fails with the first bad component. */
    public static void check(String what, Point point, double[] analytic, DoubleSupplier loss, Tolerance t) {
        if (analytic.length != point.size()) {
            fail(what + ": " + analytic.length + " gradient components for " + point.size() + " parameters");
        }
        double max = 0;
        for (double g : analytic) {
            max = Math.max(max, Math.abs(g));
        }
        if (max == 0) {
            fail(what + ": all gradients are zero");
        }
        double center = loss.getAsDouble();
        int stride = t.components() == 0 ? 1 : Math.max(1, point.size() / t.components());
        int checked = 0;
        int kinks = 0;
        for (int i = 0; i < point.size(); i += stride) {
            double saved = point.get(i);
            point.set(i, saved + t.h());
            double upStep = point.get(i) - saved;
            double up = loss.getAsDouble();
            point.set(i, saved - t.h());
            double downStep = saved - point.get(i);
            double down = loss.getAsDouble();
            point.set(i, saved);
            checked++;
            double right = (up - center) / upStep;
            double left = (center - down) / downStep;
            if (Math.abs(right - left) > t.kinkRtol() * (1 + Math.abs(right)) + t.kinkMaxRtol() * max) {
                kinks++;
                continue;
            }
            double numeric = (up - down) / (upStep + downStep);
            double err = Math.abs(numeric - analytic[i]);
            if (err > t.atol() + t.rtol() * Math.abs(numeric) + t.analyticRtol() * Math.abs(analytic[i])
                    + t.maxRtol() * max) {
                fail(String.format("%s: component %d: analytic %.10g, finite difference %.10g (largest gradient "
                        + "%.3g)", what, i, analytic[i], numeric, max));
            }
        }
        if (kinks > t.kinkShare() * checked) {
            fail(what + ": " + kinks + " of " + checked + " components sit on kinks; choose smoother test data");
        }
    }
}
