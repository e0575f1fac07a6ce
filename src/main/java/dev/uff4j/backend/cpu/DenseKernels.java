package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Epilogue;

import java.util.Arrays;

/**
 * The element-wise half of a dense layer: its epilogue forward and backward, lifetime sparsity, the bias gradient,
 * and the mask multiply. Mirrored kernel by kernel by {@code src/main/cuda/dense_kernels.cu}.
 */
final class DenseKernels {
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

    static float sigmoid(float z) {
        return z >= 0f ? 1f / (1f + (float) Math.exp(-z)) : (float) Math.exp(z) / (1f + (float) Math.exp(z));
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
        private float[][] scratch = new float[0][];

        Forward(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor out, CpuTensor bias, CpuTensor deriv, CpuTensor rowScale, Epilogue e) {
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
            for (int r = from; r < to; r++) {
                int row = out.offset + r * n;
                int drow = d == null ? 0 : deriv.offset + r * n;
                for (int j = 0; j < n; j++) {
                    o[row + j] += b[bOff + j];
                }
                activate(epilogue.activation(), o, row, d, drow, n);
                if (sparse) {
                    keepTopK(o, row, d, drow, n, k, scratch[part]);
                }
                if (epilogue.layerNorm()) {
                    float rstd = normalise(o, row, n);
                    if (rowScale != null) {
                        rowScale.data[rowScale.offset + r] = rstd;
                    }
                }
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
            float rstd = (float) (1.0 / Math.sqrt(sq / n + Epilogue.LAYER_NORM_EPS));
            for (int j = 0; j < n; j++) {
                o[row + j] = (o[row + j] - mean) * rstd;
            }
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
            for (int r = from; r < to; r++) {
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
                    float meanG = (float) (sg / n);
                    float meanGy = (float) (sgy / n);
                    float rstd = rowScale.data[rowScale.offset + r];
                    for (int j = 0; j < n; j++) {
                        z[zr + j] = rstd * (g[gr + j] - meanG - y[yr + j] * meanGy) * d[dr + j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        z[zr + j] = g[gr + j] * d[dr + j];
                    }
                }
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
