package dev.uff4j.backend.cpu;

import dev.uff4j.backend.support.Shapes;

/**
 * Losses with their gradients in one pass, and metrics. Each row's contribution goes into a per-row slot and the
 * slots are summed in row order afterwards, so the sums do not depend on the thread count. Mirrored by
 * {@code src/main/cuda/loss_kernels.cu}, where {@code finish_sum} does the summing on the device.
 */
final class LossKernels {
    private LossKernels() {
    }

    /** Per-row partial sums of one kernel; grown, never shrunk. */
    static final class RowSums {
        double[] values = new double[0];

        void ensure(int rows) {
            if (values.length < rows) {
                values = new double[Math.max(rows, 2 * values.length)];
            }
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
        private final RowSums sums = new RowSums();
        private CpuTensor out;
        private CpuTensor target;
        private CpuTensor deriv;
        private CpuTensor dz;
        private float scale;

        Mse(WorkerPool pool) {
            super(pool);
        }

        /** Returns the mean loss. */
        double apply(CpuTensor out, CpuTensor target, CpuTensor deriv, CpuTensor dz) {
            this.out = out;
            this.target = target;
            this.deriv = deriv;
            this.dz = dz;
            scale = 2f / out.size();
            sums.ensure(out.rows());
            launch(out.rows(), out.size());
            return sums.sum(out.rows()) / out.size();
        }

        @Override
        void range(int from, int to, int part) {
            float[] o = out.data;
            float[] t = target.data;
            float[] d = deriv.data;
            float[] z = dz.data;
            double[] rowSums = sums.values;
            int n = out.cols();
            for (int r = from; r < to; r++) {
                int ro = out.offset + r * n;
                int rt = target.offset + r * n;
                int rd = deriv.offset + r * n;
                int rz = dz.offset + r * n;
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    float diff = o[ro + j] - t[rt + j];
                    acc += diff * diff;
                    z[rz + j] = scale * diff * d[rd + j];
                }
                rowSums[r] = acc;
            }
        }
    }

    /** Softmax cross-entropy: per-row loss and arg-max hit; dLogits = (softmax - onehot) / n. */
    static final class SoftmaxCrossEntropy extends SplitKernel {
        private final RowSums sums = new RowSums();
        private final RowSums hits = new RowSums();
        private CpuTensor logits;
        private CpuTensor labels;
        private CpuTensor dLogits;
        private float invRows;

        SoftmaxCrossEntropy(WorkerPool pool) {
            super(pool);
        }

        /** Returns the mean loss; the number of correct rows is then {@link #correct}. */
        double apply(CpuTensor logits, CpuTensor labels, CpuTensor dLogits) {
            this.logits = logits;
            this.labels = labels;
            this.dLogits = dLogits;
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
            float[] z = logits.data;
            float[] g = dLogits.data;
            int n = logits.cols();
            for (int r = from; r < to; r++) {
                int row = logits.offset + r * n;
                int label = labelAt("softmaxCrossEntropy", labels, r, n);
                int best = argmax(z, row, n);
                float max = z[row + best];
                double sumExp = 0;
                for (int j = 0; j < n; j++) {
                    sumExp += Math.exp(z[row + j] - max);
                }
                double logSum = Math.log(sumExp);
                sums.values[r] = logSum - (z[row + label] - max);
                hits.values[r] = best == label ? 1 : 0;
                int grow = dLogits.offset + r * n;
                for (int j = 0; j < n; j++) {
                    float p = (float) Math.exp(z[row + j] - max - logSum);
                    g[grow + j] = (p - (j == label ? 1f : 0f)) * invRows;
                }
            }
        }
    }

    /** The number of rows whose arg-max is the label (one thread: ten floats a row). */
    static int countCorrect(CpuTensor logits, CpuTensor labels) {
        int n = logits.cols();
        int correct = 0;
        for (int r = 0; r < logits.rows(); r++) {
            if (argmax(logits.data, logits.offset + r * n, n) == labelAt("countCorrect", labels, r, n)) {
                correct++;
            }
        }
        return correct;
    }

    /** out[r] = the index of row r's largest value, the first on ties. */
    static void argmaxRows(CpuTensor logits, CpuTensor out) {
        int n = logits.cols();
        for (int r = 0; r < logits.rows(); r++) {
            out.data[out.offset + r] = argmax(logits.data, logits.offset + r * n, n);
        }
    }

    /** The class index label row {@code row} holds, or {@code op}'s error when it is not one in [0, classes). */
    static int labelAt(String op, CpuTensor labels, int row, int classes) {
        float v = labels.data[labels.offset + row];
        int label = (int) v;
        if (label != v || label < 0 || label >= classes) {
            throw Shapes.badLabel(op, v, row, classes);
        }
        return label;
    }

    /** The index of the largest of {@code z[row..row+n)}, the first on ties. */
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
        private final RowSums sums = new RowSums();
        private CpuTensor act;
        private CpuTensor grad;
        private float step;

        L1(WorkerPool pool) {
            super(pool);
        }

        /** Returns the penalty. */
        double apply(CpuTensor act, float lambda, CpuTensor grad) {
            this.act = act;
            this.grad = grad;
            step = lambda / act.rows();
            sums.ensure(act.rows());
            launch(act.rows(), act.size());
            return lambda * sums.sum(act.rows()) / act.rows();
        }

        @Override
        void range(int from, int to, int part) {
            float[] a = act.data;
            float[] g = grad.data;
            int n = act.cols();
            for (int r = from; r < to; r++) {
                int ra = act.offset + r * n;
                int rg = grad.offset + r * n;
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
