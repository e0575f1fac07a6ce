package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;

/**
 * The Forward-Forward ops (Hinton, 2022): the label written into the image, wrong labels for negative data,
 * length normalisation and the goodness loss. Each row is independent; the per-row sums are doubles and the rows
 * are summed in order, so results do not depend on threads. Matches {@code src/main/cuda/goodness.cu}.
 */
final class GoodnessKernels {
    /** Added to a row's length before dividing (as in the public reference implementations). */
    static final double NORM_EPS = 1e-4;

    private GoodnessKernels() {
    }

    static void overlay(float[] x, int xOff, float[] labels, int lOff, int rows, int cols, int classes, float value,
                        float[] out, int oOff) {
        for (int r = 0; r < rows; r++) {
            int label = labels == null ? -1 : LossKernels.labelAt(labels, lOff + r, classes);
            int row = r * cols;
            if (x != out || xOff != oOff) {
                System.arraycopy(x, xOff + row, out, oOff + row, cols);
            }
            for (int j = 0; j < classes; j++) {
                out[oOff + row + j] = labels == null || j == label ? value : 0f;
            }
        }
    }

    static void wrongLabels(float[] labels, int lOff, int rows, int classes, long seed, long stream, float[] out,
                            int oOff) {
        long key = Noise.streamKey(seed, stream);
        for (int r = 0; r < rows; r++) {
            int label = LossKernels.labelAt(labels, lOff + r, classes);
            out[oOff + r] = (label + 1 + offset(key, r, classes)) % classes;
        }
    }

    static void sampleWrongLabels(float[] scores, int sOff, float[] labels, int lOff, int rows, int classes,
                                  float temperature, long seed, long stream, float[] out, int oOff) {
        long key = Noise.streamKey(seed, stream);
        for (int r = 0; r < rows; r++) {
            int label = LossKernels.labelAt(labels, lOff + r, classes);
            int row = sOff + r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                double v = scores[row + j];
                if (j != label && v > max) {
                    max = v;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                if (j != label) {
                    sum += Math.exp((double) temperature * (scores[row + j] - max));
                }
            }
            double u = uniform(key, r) * sum;
            int pick = -1;
            for (int j = 0; j < classes; j++) {
                if (j != label) {
                    pick = j;
                    u -= Math.exp((double) temperature * (scores[row + j] - max));
                    if (u < 0) {
                        break;
                    }
                }
            }
            out[oOff + r] = pick;
        }
    }

    /** u in [0, 1) from 53 random bits of (key, row). */
    static double uniform(long key, long row) {
        return (Noise.mix64(key + row * 0xD1B54A32D192ED03L) >>> 11) * 0x1.0p-53;
    }

    /** u in [0, classes - 2] from 24 random bits of (key, row). */
    static int offset(long key, long row, int classes) {
        long bits = Noise.mix64(key + row * 0xD1B54A32D192ED03L) >>> 40;
        return (int) ((bits * (classes - 1)) >>> 24);
    }

    static void normalize(float[] x, int xOff, int rows, int cols, float[] out, int oOff) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int orow = oOff + r * cols;
            double sq = 0;
            for (int j = 0; j < cols; j++) {
                float v = x[xr + j];
                sq += v * v;
            }
            float inv = (float) (1.0 / (Math.sqrt(sq / cols) + NORM_EPS));
            for (int j = 0; j < cols; j++) {
                out[orow + j] = x[xr + j] * inv;
            }
        }
    }

    /** Returns the mean loss over the rows; writes dh. */
    static double loss(float[] h, int hOff, int rows, int cols, float scale, float threshold, float[] dh, int dOff) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int hr = hOff + r * cols;
            int dr = dOff + r * cols;
            double g = meanSquare(h, hr, cols);
            double z = scale * (g - threshold);
            total += softplus(-z);
            float coef = (float) (-scale * sigmoid(-z) * 2.0 / ((double) cols * rows));
            for (int j = 0; j < cols; j++) {
                dh[dr + j] = coef * h[hr + j];
            }
        }
        return total / rows;
    }

    static void addGoodness(float[] h, int hOff, int rows, int cols, float[] scores, int sOff, int sCols, int col) {
        for (int r = 0; r < rows; r++) {
            scores[sOff + r * sCols + col] += (float) meanSquare(h, hOff + r * cols, cols);
        }
    }

    static double meanSquare(float[] h, int from, int cols) {
        double sq = 0;
        for (int j = 0; j < cols; j++) {
            float v = h[from + j];
            sq += v * v;
        }
        return sq / cols;
    }

    /** log(1 + e^v) without overflow. */
    static double softplus(double v) {
        return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }
}
