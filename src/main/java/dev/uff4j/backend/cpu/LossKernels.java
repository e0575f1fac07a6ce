package dev.uff4j.backend.cpu;

/**
 * Losses with their gradients in one pass, and metrics. Each row's contribution goes into a per-row slot and the
 * slots are summed in row order afterwards, so the sums do not depend on the thread count.
 */
final class LossKernels {
    private LossKernels() {
    }

    /** Per-row partial sums shared by the loss kernels; grown, never shrunk. */
    static final class RowSums {
        double[] values = new double[0];

        double[] ensure(int rows) {
            if (values.length < rows) {
                values = new double[Math.max(rows, 2 * values.length)];
            }
            return values;
        }

        double sum(int rows) {
            double total = 0;
            for (int r = 0; r < rows; r++) {
                total += values[r];
            }
            return total;
        }
    }

    /** loss = mean((out - target)^2); dz = 2 (out - target) / size * deriv. */
    static final class Mse extends SplitKernel {
        private final RowSums sums;
        private float[] o;
        private int oOff;
        private float[] t;
        private int tOff;
        private float[] d;
        private int dOff;
        private float[] dz;
        private int dzOff;
        private int cols;
        private float scale;

        Mse(WorkerPool pool, RowSums sums) {
            super(pool);
            this.sums = sums;
        }

        double apply(CpuTensor out, CpuTensor target, CpuTensor deriv, CpuTensor dzT) {
            o = out.data;
            oOff = out.offset;
            t = target.data;
            tOff = target.offset;
            d = deriv.data;
            dOff = deriv.offset;
            dz = dzT.data;
            dzOff = dzT.offset;
            cols = out.cols();
            scale = 2f / out.size();
            sums.ensure(out.rows());
            launch(out.rows(), out.size());
            return sums.sum(out.rows()) / out.size();
        }

        @Override
        void range(int from, int to, int part) {
            double[] rowSums = sums.values;
            int n = cols;
            for (int r = from; r < to; r++) {
                int ro = oOff + r * n;
                int rt = tOff + r * n;
                int rd = dOff + r * n;
                int rz = dzOff + r * n;
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    float diff = o[ro + j] - t[rt + j];
                    acc += diff * diff;
                    dz[rz + j] = scale * diff * d[rd + j];
                }
                rowSums[r] = acc;
            }
        }
    }

    /** Softmax cross-entropy: per-row loss and arg-max hit; dLogits = (softmax - onehot) / n. */
    static final class SoftmaxCrossEntropy extends SplitKernel {
        private final RowSums sums;
        private final RowSums hits;
        private float[] z;
        private int zOff;
        private float[] y;
        private int yOff;
        private float[] g;
        private int gOff;
        private int cols;
        private float invRows;

        SoftmaxCrossEntropy(WorkerPool pool, RowSums sums, RowSums hits) {
            super(pool);
            this.sums = sums;
            this.hits = hits;
        }

        /** Returns the mean loss; the number of correct rows is then {@link #correct}. */
        double apply(CpuTensor logits, CpuTensor labels, CpuTensor dLogits) {
            z = logits.data;
            zOff = logits.offset;
            y = labels.data;
            yOff = labels.offset;
            g = dLogits.data;
            gOff = dLogits.offset;
            cols = logits.cols();
            invRows = 1f / logits.rows();
            sums.ensure(logits.rows());
            hits.ensure(logits.rows());
            launch(logits.rows(), logits.size());
            return sums.sum(logits.rows()) / logits.rows();
        }

        double correct(int rows) {
            return hits.sum(rows);
        }

        @Override
        void range(int from, int to, int part) {
            int n = cols;
            for (int r = from; r < to; r++) {
                int row = zOff + r * n;
                int label = labelAt(y, yOff + r, n);
                int best = 0;
                float max = z[row];
                for (int j = 1; j < n; j++) {
                    if (z[row + j] > max) {
                        max = z[row + j];
                        best = j;
                    }
                }
                double sumExp = 0;
                for (int j = 0; j < n; j++) {
                    sumExp += Math.exp(z[row + j] - max);
                }
                double logSum = Math.log(sumExp);
                sums.values[r] = logSum - (z[row + label] - max);
                hits.values[r] = best == label ? 1 : 0;
                int grow = gOff + r * n;
                for (int j = 0; j < n; j++) {
                    float p = (float) Math.exp(z[row + j] - max - logSum);
                    g[grow + j] = (p - (j == label ? 1f : 0f)) * invRows;
                }
            }
        }
    }

    static int labelAt(float[] labels, int index, int classes) {
        float v = labels[index];
        int label = (int) v;
        if (label != v || label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + v + " at row " + index + " is not a class index in [0, "
                    + classes + ")");
        }
        return label;
    }

    static int argmax(float[] z, int row, int n) {
        int best = 0;
        float max = z[row];
        for (int j = 1; j < n; j++) {
            if (z[row + j] > max) {
                max = z[row + j];
                best = j;
            }
        }
        return best;
    }

    /** lambda * mean_rows sum_cols |a|, gradient lambda * sign(a) / rows added to grad. */
    static final class L1 extends SplitKernel {
        private final RowSums sums;
        private float[] a;
        private int aOff;
        private float[] g;
        private int gOff;
        private int cols;
        private float step;

        L1(WorkerPool pool, RowSums sums) {
            super(pool);
            this.sums = sums;
        }

        double apply(CpuTensor act, float lambda, CpuTensor grad) {
            a = act.data;
            aOff = act.offset;
            g = grad.data;
            gOff = grad.offset;
            cols = act.cols();
            step = lambda / act.rows();
            sums.ensure(act.rows());
            launch(act.rows(), act.size());
            return lambda * sums.sum(act.rows()) / act.rows();
        }

        @Override
        void range(int from, int to, int part) {
            int n = cols;
            for (int r = from; r < to; r++) {
                int ra = aOff + r * n;
                int rg = gOff + r * n;
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    float v = a[ra + j];
                    acc += Math.abs(v);
                    g[rg + j] += v > 0f ? step : (v < 0f ? -step : 0f);
                }
                sums.values[r] = acc;
            }
        }
    }
}
