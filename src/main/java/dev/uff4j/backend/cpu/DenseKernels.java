package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Epilogue;

import java.util.Arrays;

/**
 * The element-wise half of a dense layer: its epilogue forward and backward, lifetime sparsity, the bias gradient,
 * and the mask multiply. Mirrored kernel by kernel by {@code src/main/cuda/dense_kernels.cu}.
 */
final class DenseKernels {
    /** Rows whose sequential sums (layer norm forward and backward) run side by side. */
    static final int ROWS_TOGETHER = 4;

    private DenseKernels() {
    }

    /**
     * {@code v[off..off+n) = act(v)} in place, and {@code d[dOff..dOff+n) = act'} from the result when {@code d} is
     * not null: the one activation routine of dense and convolutional layers. ReLU is branch-free (a select the
     * branch predictor cannot guess costs far more on random signs): {@code max(v, 0)}, and its derivative
     * {@code min(y·2^252, 1)}, which is 1 for every positive float y and 0 for +0; a NaN passes through both.
     */
    static void activate(Activation act, float[] v, int off, float[] d, int dOff, int n) {
        switch (act) {
            case IDENTITY -> {
                if (d != null) {
                    Arrays.fill(d, dOff, dOff + n, 1f);
                }
            }
            case RELU -> {
                for (int j = 0; j < n; j++) {
                    v[off + j] = Math.max(v[off + j], 0f);
                }
                if (d != null) {
                    for (int j = 0; j < n; j++) {
                        d[dOff + j] = Math.min(v[off + j] * 0x1p126f * 0x1p126f, 1f);
                    }
                }
            }
            case SIGMOID -> {
                for (int j = 0; j < n; j++) {
                    v[off + j] = sigmoid(v[off + j]);
                }
                if (d != null) {
                    for (int j = 0; j < n; j++) {
                        float y = v[off + j];
                        d[dOff + j] = y * (1f - y);
                    }
                }
            }
            case TANH -> {
                for (int j = 0; j < n; j++) {
                    v[off + j] = (float) Math.tanh(v[off + j]);
                }
                if (d != null) {
                    for (int j = 0; j < n; j++) {
                        float y = v[off + j];
                        d[dOff + j] = 1f - y * y;
                    }
                }
            }
        }
    }

    /**
     * The logistic function without overflow: {@code e = exp(-|z|)}, then {@code 1/(1+e)} for z &gt;= 0 and
     * {@code e/(1+e)} below. One exponential per element, and the sign picks operands rather than a branch: on a
     * decoder's pre-activations the sign is a coin toss, and the mispredicted branch with a second exponential cost
     * 12 ns per element (5% of a 3-cell dae step on one thread). The same bits as the two-branch formula, a NaN's
     * included (hence {@code z >= 0 ? -z : z} rather than {@code -|z|}).
     */
    static float sigmoid(float z) {
        boolean nonNegative = z >= 0f;
        float e = (float) Math.exp(nonNegative ? -z : z);
        float numerator = nonNegative ? 1f : e;
        return numerator / (1f + e);
    }

    /**
     * Runs on the GEMM output z (in place in {@code out}): add bias, activate (writing the derivative), keep the
     * top k of each row, normalise the row. One unit per row.
     */
    static final class Forward extends SplitKernel {
        private CpuTensor out;
        private CpuTensor bias;
        private CpuTensor deriv;
        private CpuTensor rowScale;
        private Epilogue epilogue;
        private boolean biasActivated;
        private float[][] scratch = new float[0][];

        Forward(WorkerPool pool) {
            super(pool);
        }

        /**
         * @param biasActivated the GEMM has added the bias and applied the activation (writing deriv) already
         *                      ({@link TiledGemm#multiplyBiasActivation}); what is left is top k and layer norm
         */
        void apply(CpuTensor out, CpuTensor bias, CpuTensor deriv, CpuTensor rowScale, Epilogue e,
                   boolean biasActivated) {
            if (biasActivated && e.topK() == 0 && !e.layerNorm()) {
                return;
            }
            this.biasActivated = biasActivated;
            this.out = out;
            this.bias = bias;
            this.deriv = deriv;
            this.rowScale = rowScale;
            this.epilogue = e;
            int cols = out.cols();
            if (e.topK() > 0 && e.topK() < cols && (scratch.length < threads() || scratch[0].length < cols)) {
                scratch = new float[threads()][cols];
            }
            launch(out.rows(), (long) out.size() * (e.topK() > 0 ? 4 : 1));
        }

        @Override
        void range(int from, int to, int part) {
            float[] o = out.data;
            float[] b = bias.data;
            int bOff = bias.offset;
            float[] d = deriv == null ? null : deriv.data;
            int n = out.cols();
            int k = epilogue.topK();
            boolean sparse = k > 0 && k < n;
            boolean norm = epilogue.layerNorm();
            float[] scale = rowScale == null ? null : rowScale.data;
            int sOff = rowScale == null ? 0 : rowScale.offset;
            // Rows in groups of ROWS_TOGETHER: the layer norm's sums are sequential chains (their order fixes the
            // bits), so one row at a time waits on the adder's latency; the rows of a group run their chains side by
            // side, each in its own order, so the result is the same bits.
            for (int r0 = from; r0 < to; r0 += ROWS_TOGETHER) {
                int r1 = Math.min(to, r0 + ROWS_TOGETHER);
                for (int r = r0; r < r1; r++) {
                    int row = out.offset + r * n;
                    int drow = d == null ? 0 : deriv.offset + r * n;
                    if (!biasActivated) {
                        for (int j = 0; j < n; j++) {
                            o[row + j] += b[bOff + j];
                        }
                        activate(epilogue.activation(), o, row, d, drow, n);
                    }
                    if (sparse) {
                        keepTopK(o, row, d, drow, n, k, scratch[part]);
                    }
                }
                if (norm && r1 - r0 == ROWS_TOGETHER) {
                    normaliseFour(o, out.offset + r0 * n, n, scale, sOff + r0);
                } else if (norm) {
                    for (int r = r0; r < r1; r++) {
                        float rstd = normalise(o, out.offset + r * n, n);
                        if (scale != null) {
                            scale[sOff + r] = rstd;
                        }
                    }
                }
            }
        }

        /**
         * {@link #normalise} on the four consecutive rows at {@code row} (row stride n), their sums interleaved; the
         * reciprocal standard deviations go to {@code scale[sOff..sOff+4)} when {@code scale} is not null.
         */
        private static void normaliseFour(float[] o, int row, int n, float[] scale, int sOff) {
            int a = row;
            int b = row + n;
            int c = row + 2 * n;
            int e = row + 3 * n;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < n; j++) {
                s0 += o[a + j];
                s1 += o[b + j];
                s2 += o[c + j];
                s3 += o[e + j];
            }
            float m0 = (float) (s0 / n);
            float m1 = (float) (s1 / n);
            float m2 = (float) (s2 / n);
            float m3 = (float) (s3 / n);
            double q0 = 0;
            double q1 = 0;
            double q2 = 0;
            double q3 = 0;
            for (int j = 0; j < n; j++) {
                float c0 = o[a + j] - m0;
                float c1 = o[b + j] - m1;
                float c2 = o[c + j] - m2;
                float c3 = o[e + j] - m3;
                q0 += c0 * c0;
                q1 += c1 * c1;
                q2 += c2 * c2;
                q3 += c3 * c3;
            }
            float r0 = rstd(q0, n);
            float r1 = rstd(q1, n);
            float r2 = rstd(q2, n);
            float r3 = rstd(q3, n);
            scaleRow(o, a, n, m0, r0);
            scaleRow(o, b, n, m1, r1);
            scaleRow(o, c, n, m2, r2);
            scaleRow(o, e, n, m3, r3);
            if (scale != null) {
                scale[sOff] = r0;
                scale[sOff + 1] = r1;
                scale[sOff + 2] = r2;
                scale[sOff + 3] = r3;
            }
        }

        private static float rstd(double sumOfSquares, int n) {
            return (float) (1.0 / Math.sqrt(sumOfSquares / n + Epilogue.LAYER_NORM_EPS));
        }

        private static void scaleRow(float[] o, int row, int n, float mean, float rstd) {
            for (int j = 0; j < n; j++) {
                o[row + j] = (o[row + j] - mean) * rstd;
            }
        }

        /** Zeroes all but the k largest values of the row (ties kept in index order) and their derivatives. */
        private static void keepTopK(float[] o, int row, float[] d, int drow, int n, int k, float[] tmp) {
            System.arraycopy(o, row, tmp, 0, n);
            float threshold = Select.kthLargest(tmp, n, k);
            int above = 0;
            for (int j = 0; j < n; j++) {
                if (o[row + j] > threshold) {
                    above++;
                }
            }
            int tiesToKeep = k - above;
            for (int j = 0; j < n; j++) {
                float v = o[row + j];
                boolean keep = v > threshold || (v == threshold && tiesToKeep-- > 0);
                if (!keep) {
                    o[row + j] = 0f;
                    if (d != null) {
                        d[drow + j] = 0f;
                    }
                }
            }
        }

        /** Normalises the row to mean 0 and variance 1 (population variance, eps inside the root). */
        private static float normalise(float[] o, int row, int n) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += o[row + j];
            }
            float mean = (float) (sum / n);
            double sq = 0;
            for (int j = 0; j < n; j++) {
                float c = o[row + j] - mean;
                sq += c * c;
            }
            float rstd = rstd(sq, n);
            scaleRow(o, row, n, mean, rstd);
            return rstd;
        }
    }

    /** dz = (layer-norm backward of dOut) * deriv, in place allowed. One unit per row. */
    static final class Backward extends SplitKernel {
        private CpuTensor dOut;
        private CpuTensor out;
        private CpuTensor deriv;
        private CpuTensor rowScale;
        private CpuTensor dz;
        private boolean layerNorm;

        Backward(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor dOut, CpuTensor out, CpuTensor deriv, CpuTensor rowScale, Epilogue e, CpuTensor dz) {
            this.dOut = dOut;
            this.out = out;
            this.deriv = deriv;
            this.rowScale = rowScale;
            this.dz = dz;
            this.layerNorm = e.layerNorm();
            launch(dOut.rows(), dOut.size());
        }

        @Override
        void range(int from, int to, int part) {
            float[] g = dOut.data;
            float[] y = out.data;
            float[] d = deriv.data;
            float[] z = dz.data;
            int n = dOut.cols();
            int r = from;
            if (layerNorm) {
                // Four rows side by side, as in the forward pass: the same sums, in the same order, without the wait.
                for (; r + ROWS_TOGETHER <= to; r += ROWS_TOGETHER) {
                    layerNormFour(g, dOut.offset + r * n, y, out.offset + r * n, d, deriv.offset + r * n, z,
                            dz.offset + r * n, n, rowScale.data, rowScale.offset + r);
                }
            }
            for (; r < to; r++) {
                int gr = dOut.offset + r * n;
                int dr = deriv.offset + r * n;
                int zr = dz.offset + r * n;
                if (layerNorm) {
                    int yr = out.offset + r * n;
                    double sg = 0;
                    double sgy = 0;
                    for (int j = 0; j < n; j++) {
                        float gj = g[gr + j];
                        sg += gj;
                        sgy += gj * y[yr + j];
                    }
                    layerNormRow(g, gr, y, yr, d, dr, z, zr, n, (float) (sg / n), (float) (sgy / n),
                            rowScale.data[rowScale.offset + r]);
                } else if (gr == zr && dr == zr) {
                    for (int i = zr; i < zr + n; i++) {
                        z[i] = g[i] * d[i];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        z[zr + j] = g[gr + j] * d[dr + j];
                    }
                }
            }
        }

        /** The layer-norm branch of {@link #range} on four consecutive rows (row stride n in every tensor). */
        private static void layerNormFour(float[] g, int gr, float[] y, int yr, float[] d, int dr, float[] z, int zr,
                                          int n, float[] scale, int sOff) {
            double g0 = 0;
            double g1 = 0;
            double g2 = 0;
            double g3 = 0;
            double p0 = 0;
            double p1 = 0;
            double p2 = 0;
            double p3 = 0;
            for (int j = 0; j < n; j++) {
                float a0 = g[gr + j];
                float a1 = g[gr + n + j];
                float a2 = g[gr + 2 * n + j];
                float a3 = g[gr + 3 * n + j];
                g0 += a0;
                g1 += a1;
                g2 += a2;
                g3 += a3;
                p0 += a0 * y[yr + j];
                p1 += a1 * y[yr + n + j];
                p2 += a2 * y[yr + 2 * n + j];
                p3 += a3 * y[yr + 3 * n + j];
            }
            layerNormRow(g, gr, y, yr, d, dr, z, zr, n, (float) (g0 / n), (float) (p0 / n), scale[sOff]);
            layerNormRow(g, gr + n, y, yr + n, d, dr + n, z, zr + n, n, (float) (g1 / n), (float) (p1 / n),
                    scale[sOff + 1]);
            layerNormRow(g, gr + 2 * n, y, yr + 2 * n, d, dr + 2 * n, z, zr + 2 * n, n, (float) (g2 / n),
                    (float) (p2 / n), scale[sOff + 2]);
            layerNormRow(g, gr + 3 * n, y, yr + 3 * n, d, dr + 3 * n, z, zr + 3 * n, n, (float) (g3 / n),
                    (float) (p3 / n), scale[sOff + 3]);
        }

        /**
         * z = rstd·(g - meanG - y·meanGy)·d along one row. When the four rows start at the same index (tensors at the
         * same offset in their arrays, the usual case) one index serves them all, which C2 vectorises; with four
         * different offsets JDK 17's C2 leaves the loop scalar (as AdamW's, {@link OptimizerKernels}).
         */
        private static void layerNormRow(float[] g, int gr, float[] y, int yr, float[] d, int dr, float[] z, int zr,
                                         int n, float meanG, float meanGy, float rstd) {
            if (gr == zr && yr == zr && dr == zr) {
                for (int i = zr; i < zr + n; i++) {
                    z[i] = rstd * (g[i] - meanG - y[i] * meanGy) * d[i];
                }
                return;
            }
            for (int j = 0; j < n; j++) {
                z[zr + j] = rstd * (g[gr + j] - meanG - y[yr + j] * meanGy) * d[dr + j];
            }
        }
    }

    /**
     * Keeps the k largest values of every column. Each part owns a range of columns and sweeps it row by row (the
     * memory order) twice: the first sweep keeps, per column, the k largest values seen so far in a small sorted
     * buffer (a value rarely beats the buffer's last, so this is mostly one comparison per element); the second
     * zeroes what lies below each column's k-th value, keeping ties at that value in row order.
     */
    static final class ColumnTopK extends SplitKernel {
        private CpuTensor out;
        private CpuTensor deriv;
        private int k;
        private float[] best = new float[0];
        private int[] ties = new int[0];

        ColumnTopK(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor out, CpuTensor deriv, int keep) {
            this.out = out;
            this.deriv = deriv;
            this.k = keep;
            int cols = out.cols();
            if (best.length < keep * cols) {
                best = new float[keep * cols];
            }
            if (ties.length < cols) {
                ties = new int[cols];
            }
            launch(cols, out.size());
        }

        /** Columns [from, to). */
        @Override
        void range(int from, int to, int part) {
            float[] o = out.data;
            float[] d = deriv.data;
            int rows = out.rows();
            int cols = out.cols();
            Arrays.fill(best, from * k, to * k, Float.NEGATIVE_INFINITY);
            for (int r = 0; r < rows; r++) {
                int row = out.offset + r * cols;
                for (int j = from; j < to; j++) {
                    float v = o[row + j];
                    int base = j * k;
                    if (v > best[base + k - 1]) {
                        int pos = k - 1;
                        while (pos > 0 && best[base + pos - 1] < v) {
                            best[base + pos] = best[base + pos - 1];
                            pos--;
                        }
                        best[base + pos] = v;
                    }
                }
            }
            for (int j = from; j < to; j++) {
                int base = j * k;
                float kth = best[base + k - 1];
                int above = 0;
                while (above < k && best[base + above] > kth) {
                    above++;
                }
                ties[j] = k - above;
            }
            for (int r = 0; r < rows; r++) {
                int row = out.offset + r * cols;
                int drow = deriv.offset + r * cols;
                for (int j = from; j < to; j++) {
                    float v = o[row + j];
                    float kth = best[j * k + k - 1];
                    if (v > kth || (v == kth && ties[j]-- > 0)) {
                        continue;
                    }
                    o[row + j] = 0f;
                    d[drow + j] = 0f;
                }
            }
        }
    }

    /** db[j] = sum over rows of dz[r][j], parallel over column blocks, each summed in row order. */
    static final class ColumnSum extends SplitKernel {
        private CpuTensor m;
        private CpuTensor sums;

        ColumnSum(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor m, CpuTensor out) {
            this.m = m;
            this.sums = out;
            launch(m.cols(), m.size());
        }

        /** Columns [from, to), each summed in row order. */
        @Override
        void range(int from, int to, int part) {
            float[] src = m.data;
            float[] dst = sums.data;
            int dOff = sums.offset;
            int rows = m.rows();
            int cols = m.cols();
            Arrays.fill(dst, dOff + from, dOff + to, 0f);
            for (int r = 0; r < rows; r++) {
                int row = m.offset + r * cols;
                for (int j = from; j < to; j++) {
                    dst[dOff + j] += src[row + j];
                }
            }
        }
    }

    /** out = x · mask, element by element; one unit per row (out may be x). */
    static final class MulMask extends SplitKernel {
        private CpuTensor x;
        private CpuTensor mask;
        private CpuTensor out;

        MulMask(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor x, CpuTensor mask, CpuTensor out) {
            this.x = x;
            this.mask = mask;
            this.out = out;
            launch(x.rows(), x.size());
        }

        @Override
        void range(int from, int to, int part) {
            float[] xs = x.data;
            float[] ms = mask.data;
            float[] os = out.data;
            int n = x.cols();
            for (int r = from; r < to; r++) {
                int xr = x.offset + r * n;
                int mr = mask.offset + r * n;
                int orow = out.offset + r * n;
                for (int j = 0; j < n; j++) {
                    os[orow + j] = xs[xr + j] * ms[mr + j];
                }
            }
        }
    }
}
