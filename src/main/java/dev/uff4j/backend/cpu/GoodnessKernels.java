package dev.uff4j.backend.cpu;

/**
 * The Forward-Forward ops (Hinton, 2022): the label written into the image, wrong labels for negative data,
 * length normalisation and the goodness loss. Each row is independent; the per-row sums are doubles and the rows
 * are summed in order, so results do not depend on threads. They run on the calling thread: their rows are short
 * next to the layers' products. Mirrored by {@code src/main/cuda/goodness_kernels.cu}.
 */
final class GoodnessKernels {
    /** Added to a row's length before dividing (as in the public reference implementations). */
    static final double NORM_EPS = 1e-4;

    private GoodnessKernels() {
    }

    /** out = x, its first {@code classes} columns {@code value} at the label, 0 elsewhere (all of them: no labels). */
    static void overlay(CpuTensor x, CpuTensor labels, int classes, float value, CpuTensor out) {
        int cols = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            int label = labels == null ? -1 : LossKernels.labelAt("overlayLabels", labels, r, classes);
            int row = r * cols;
            if (x.data != out.data || x.offset != out.offset) {
                System.arraycopy(x.data, x.offset + row, out.data, out.offset + row, cols);
            }
            for (int j = 0; j < classes; j++) {
                out.data[out.offset + row + j] = labels == null || j == label ? value : 0f;
            }
        }
    }

    /** out[r] = (label + 1 + u) mod classes, u in [0, classes - 2] from the row's random bits. */
    static void wrongLabels(CpuTensor labels, int classes, long key, CpuTensor out) {
        for (int r = 0; r < labels.rows(); r++) {
            int label = LossKernels.labelAt("wrongLabels", labels, r, classes);
            out.data[out.offset + r] = (label + 1 + offset(key, r, classes)) % classes;
        }
    }

    /** A wrong label per row, drawn with probability proportional to exp(temperature · (score - max)). */
    static void sampleWrongLabels(CpuTensor scores, CpuTensor labels, float temperature, long key, CpuTensor out) {
        float[] s = scores.data;
        int classes = scores.cols();
        for (int r = 0; r < labels.rows(); r++) {
            int label = LossKernels.labelAt("sampleWrongLabels", labels, r, classes);
            int row = scores.offset + r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                double v = s[row + j];
                if (j != label && v > max) {
                    max = v;
                }
            }
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                if (j != label) {
                    sum += Math.exp((double) temperature * (s[row + j] - max));
                }
            }
            double u = uniform(key, r) * sum;
            int pick = -1;
            for (int j = 0; j < classes; j++) {
                if (j != label) {
                    pick = j;
                    u -= Math.exp((double) temperature * (s[row + j] - max));
                    if (u < 0) {
                        break;
                    }
                }
            }
            out.data[out.offset + r] = pick;
        }
    }

    /** u in [0, 1) from 53 random bits of (key, row). */
    static double uniform(long key, long row) {
        return (NoiseKernels.pairBits(key, row) >>> 11) * 0x1.0p-53;
    }

    /** u in [0, classes - 2] from 24 random bits of (key, row). */
    static int offset(long key, long row, int classes) {
        long bits = NoiseKernels.pairBits(key, row) >>> 40;
        return (int) ((bits * (classes - 1)) >>> 24);
    }

    /** out = x / (rms(x) + {@value #NORM_EPS}), row by row. */
    static void normalize(CpuTensor x, CpuTensor out) {
        int cols = x.cols();
        for (int r = 0; r < x.rows(); r++) {
            int xr = x.offset + r * cols;
            int orow = out.offset + r * cols;
            float inv = (float) (1.0 / (Math.sqrt(meanSquare(x.data, xr, cols)) + NORM_EPS));
            for (int j = 0; j < cols; j++) {
                out.data[orow + j] = x.data[xr + j] * inv;
            }
        }
    }

    /** Returns the mean loss over the rows; writes dh. */
    static double loss(CpuTensor h, float scale, float threshold, CpuTensor dh) {
        int rows = h.rows();
        int cols = h.cols();
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int hr = h.offset + r * cols;
            int dr = dh.offset + r * cols;
            double g = meanSquare(h.data, hr, cols);
            double z = scale * (g - threshold);
            total += softplus(-z);
            float coef = (float) (-scale * sigmoid(-z) * 2.0 / ((double) cols * rows));
            for (int j = 0; j < cols; j++) {
                dh.data[dr + j] = coef * h.data[hr + j];
            }
        }
        return total / rows;
    }

    /** scores[r][col] += mean_j h[r][j]². */
    static void addGoodness(CpuTensor h, CpuTensor scores, int col) {
        for (int r = 0; r < h.rows(); r++) {
            scores.data[scores.offset + r * scores.cols() + col] +=
                    (float) meanSquare(h.data, h.offset + r * h.cols(), h.cols());
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
