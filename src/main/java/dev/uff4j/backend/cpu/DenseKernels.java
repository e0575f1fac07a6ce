package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Epilogue;

/** Epilogues of a dense layer, forward and backward, and the bias gradient: the element-wise half of a layer. */
final class DenseKernels {
    private DenseKernels() {
    }

    /**
     * Runs on the GEMM output z (in place in {@code out}): add bias, activate (writing the derivative), keep the
     * top k of each row, normalise the row. Matches {@code src/main/cuda} epilogue kernels.
     */
    static final class Forward extends SplitKernel {
        private float[] o;
        private int oOff;
        private float[] b;
        private int bOff;
        private float[] d;
        private int dOff;
        private float[] s;
        private int sOff;
        private int cols;
        private Epilogue epilogue;
        private float[][] scratch = new float[0][];

        Forward(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor out, CpuTensor bias, CpuTensor deriv, CpuTensor rowScale, Epilogue e) {
            o = out.data;
            oOff = out.offset;
            b = bias.data;
            bOff = bias.offset;
            d = deriv == null ? null : deriv.data;
            dOff = deriv == null ? 0 : deriv.offset;
            s = rowScale == null ? null : rowScale.data;
            sOff = rowScale == null ? 0 : rowScale.offset;
            cols = out.cols();
            epilogue = e;
            if (e.topK() > 0 && e.topK() < cols) {
                ensureScratch(cols);
            }
            launch(out.rows(), (long) out.size() * (e.topK() > 0 ? 4 : 1));
        }

        private void ensureScratch(int n) {
            if (scratch.length < threads() || scratch[0].length < n) {
                scratch = new float[threads()][n];
            }
        }

        @Override
        void range(int from, int to, int part) {
            Activation act = epilogue.activation();
            int k = epilogue.topK();
            boolean sparse = k > 0 && k < cols;
            for (int r = from; r < to; r++) {
                int row = oOff + r * cols;
                int drow = dOff + r * cols;
                activate(act, row, drow);
                if (sparse) {
                    keepTopK(row, drow, k, scratch[part]);
                }
                if (epilogue.layerNorm()) {
                    float rstd = normalise(row);
                    if (s != null) {
                        s[sOff + r] = rstd;
                    }
                }
            }
        }

        private void activate(Activation act, int row, int drow) {
            float[] o = this.o;
            float[] b = this.b;
            float[] d = this.d;
            int n = cols;
            switch (act) {
                case IDENTITY -> {
                    for (int j = 0; j < n; j++) {
                        o[row + j] += b[bOff + j];
                    }
                    if (d != null) {
                        java.util.Arrays.fill(d, drow, drow + n, 1f);
                    }
                }
                case RELU -> {
                    for (int j = 0; j < n; j++) {
                        float z = o[row + j] + b[bOff + j];
                        o[row + j] = z > 0f ? z : 0f;
                    }
                    if (d != null) {
                        for (int j = 0; j < n; j++) {
                            d[drow + j] = o[row + j] > 0f ? 1f : 0f;
                        }
                    }
                }
                case SIGMOID -> {
                    for (int j = 0; j < n; j++) {
                        float z = o[row + j] + b[bOff + j];
                        o[row + j] = sigmoid(z);
                    }
                    if (d != null) {
                        for (int j = 0; j < n; j++) {
                            float y = o[row + j];
                            d[drow + j] = y * (1f - y);
                        }
                    }
                }
                case TANH -> {
                    for (int j = 0; j < n; j++) {
                        o[row + j] = (float) Math.tanh(o[row + j] + b[bOff + j]);
                    }
                    if (d != null) {
                        for (int j = 0; j < n; j++) {
                            float y = o[row + j];
                            d[drow + j] = 1f - y * y;
                        }
                    }
                }
            }
        }

        /** Zeroes all but the k largest values of the row (ties kept in index order) and their derivatives. */
        private void keepTopK(int row, int drow, int k, float[] tmp) {
            int n = cols;
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
        private float normalise(int row) {
            int n = cols;
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

    static float sigmoid(float z) {
        return z >= 0f ? 1f / (1f + (float) Math.exp(-z)) : (float) Math.exp(z) / (1f + (float) Math.exp(z));
    }

    /** dz = (layer-norm backward of dOut) * deriv, in place allowed. */
    static final class Backward extends SplitKernel {
        private float[] g;
        private int gOff;
        private float[] y;
        private int yOff;
        private float[] d;
        private int dOff;
        private float[] s;
        private int sOff;
        private float[] dz;
        private int dzOff;
        private int cols;
        private boolean layerNorm;

        Backward(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor dOut, CpuTensor out, CpuTensor deriv, CpuTensor rowScale, Epilogue e, CpuTensor dzT) {
            g = dOut.data;
            gOff = dOut.offset;
            y = out.data;
            yOff = out.offset;
            d = deriv.data;
            dOff = deriv.offset;
            layerNorm = e.layerNorm();
            s = rowScale == null ? null : rowScale.data;
            sOff = rowScale == null ? 0 : rowScale.offset;
            dz = dzT.data;
            dzOff = dzT.offset;
            cols = dOut.cols();
            launch(dOut.rows(), dOut.size());
        }

        @Override
        void range(int from, int to, int part) {
            int n = cols;
            for (int r = from; r < to; r++) {
                int gr = gOff + r * n;
                int dr = dOff + r * n;
                int zr = dzOff + r * n;
                if (layerNorm) {
                    int yr = yOff + r * n;
                    double sg = 0;
                    double sgy = 0;
                    for (int j = 0; j < n; j++) {
                        float gj = g[gr + j];
                        sg += gj;
                        sgy += gj * y[yr + j];
                    }
                    float meanG = (float) (sg / n);
                    float meanGy = (float) (sgy / n);
                    float rstd = s[sOff + r];
                    for (int j = 0; j < n; j++) {
                        dz[zr + j] = rstd * (g[gr + j] - meanG - y[yr + j] * meanGy) * d[dr + j];
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        dz[zr + j] = g[gr + j] * d[dr + j];
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
        private float[] o;
        private int oOff;
        private float[] d;
        private int dOff;
        private int rows;
        private int cols;
        private int k;
        private float[] best = new float[0];
        private int[] ties = new int[0];

        ColumnTopK(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor out, CpuTensor deriv, int keep) {
            o = out.data;
            oOff = out.offset;
            d = deriv.data;
            dOff = deriv.offset;
            rows = out.rows();
            cols = out.cols();
            k = keep;
            if (best.length < k * cols) {
                best = new float[k * cols];
            }
            if (ties.length < cols) {
                ties = new int[cols];
            }
            launch(cols, out.size());
        }

        /** Columns [from, to). */
        @Override
        void range(int from, int to, int part) {
            java.util.Arrays.fill(best, from * k, to * k, Float.NEGATIVE_INFINITY);
            for (int r = 0; r < rows; r++) {
                int row = oOff + r * cols;
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
                int row = oOff + r * cols;
                int drow = dOff + r * cols;
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
        private float[] src;
        private int srcOff;
        private float[] dst;
        private int dstOff;
        private int rows;
        private int cols;

        ColumnSum(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor m, CpuTensor out) {
            src = m.data;
            srcOff = m.offset;
            dst = out.data;
            dstOff = out.offset;
            rows = m.rows();
            cols = m.cols();
            launch(cols, m.size());
        }

        /** Columns [from, to), each summed in row order. */
        @Override
        void range(int from, int to, int part) {
            java.util.Arrays.fill(dst, dstOff + from, dstOff + to, 0f);
            for (int r = 0; r < rows; r++) {
                int row = srcOff + r * cols;
                for (int j = from; j < to; j++) {
                    dst[dstOff + j] += src[row + j];
                }
            }
        }
    }
}
