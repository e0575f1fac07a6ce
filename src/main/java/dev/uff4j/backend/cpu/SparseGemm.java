package dev.uff4j.backend.cpu;

import java.util.Arrays;

/**
 * Products with a mostly-zero left operand, computed with its zeros left out, and bit for bit what {@link VectorGemm}
 * computes: {@code A·B} (a lifetime-sparse decoder's forward: while a cell trains, lifetime sparsity keeps
 * about one latent value in twenty) and {@code Aᵀ·B} (that decoder's weight gradient, and an encoder's on MNIST's
 * pixels, four in five of them zero).
 *
 * <p>Every element is summed as {@link VectorGemm} sums it: k cut into blocks ({@link #kBlock}), each block an fma
 * chain in k order from zero, the blocks added in order. Leaving out a term whose factor is zero changes no bit of
 * such a sum when the other factor is finite ({@code fma(0, b, s) == s}, and a chain from +0 never becomes -0), so a sparse product equals the dense one
 * whatever the density, and the backend picks the faster by density without changing a result. Work is split over
 * output rows only, so results do not depend on the thread count. All matrices are dense row-major arrays whose row
 * stride is their column count. Not thread-safe: one call at a time per instance, as the backend makes them.
 */
abstract class SparseGemm {
    private final WorkerPool pool;
    private final Task task = new Task();
    /** The nonzeros of the current A, row by row (or column by column): shared by the parts, built before them. */
    private final Lists lists = new Lists();
    int n;
    int k;
    private float[] b;
    private int bOff;
    private float[] c;
    private int cOff;

    SparseGemm(WorkerPool pool) {
        this.pool = pool;
    }

    /** The length of k's summation blocks: {@link VectorGemm}'s rule (at most its KC_MAX, all of equal length). */
    static int kBlock(int k) {
        int blocks = (k + VectorGemm.KC_MAX - 1) / VectorGemm.KC_MAX;
        return (k + blocks - 1) / blocks;
    }

    /** C (m x n) = A (m x k, mostly zeros) · B (k x n). */
    final void sparseA(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        lists.ofRows(a, aOff, m, k);
        run(m, n, k, b, bOff, c, cOff);
    }

    /** C (m x n) = Aᵀ · B, A stored k x m and mostly zeros, B k x n. */
    final void sparseTransA(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        lists.ofColumns(a, aOff, k, m);
        run(m, n, k, b, bOff, c, cOff);
    }

    private void run(int m, int n, int k, float[] b, int bOff, float[] c, int cOff) {
        this.n = n;
        this.k = k;
        this.b = b;
        this.bOff = bOff;
        this.c = c;
        this.cOff = cOff;
        task.units = m;
        int parts = (long) m * n < SplitKernel.PARALLEL_MIN_ELEMENTS ? 1 : Math.min(pool.threads(), m);
        try {
            if (parts <= 1) {
                rows(0, m, lists, b, bOff, c, cOff);
            } else {
                pool.run(task, parts);
            }
        } finally {
            this.b = null;
            this.c = null;
        }
    }

    private final class Task implements WorkerPool.Task {
        int units;

        @Override
        public void run(int part, int parts) {
            int from = (int) ((long) units * part / parts);
            int to = (int) ((long) units * (part + 1) / parts);
            if (from < to) {
                rows(from, to, lists, b, bOff, c, cOff);
            }
        }
    }

    /**
     * Rows {@code [from, to)} of C: row r is the sum over its list's entries (p, v), in p order, of {@code v·B[p, :]},
     * cut into the GEMM's k blocks: each block an fma chain from zero, the first stored, later ones added.
     */
    abstract void rows(int from, int to, Lists lists, float[] b, int bOff, float[] c, int cOff);

    /**
     * The nonzeros of a matrix as lists, one per output row: entry q of list r is {@code (index[q], value[q])}, for q
     * in {@code [start[r], start[r+1])}, in increasing index. The arrays only grow, so steady calls allocate nothing.
     */
    static final class Lists {
        int[] start = new int[1];
        private int[] fill = new int[0];
        int[] index = new int[0];
        float[] value = new float[0];

        /** Lists of the rows of a rows x cols matrix (index: the column). */
        void ofRows(float[] x, int off, int rows, int cols) {
            starts(rows);
            int nnz = 0;
            for (int i = 0; i < rows; i++) {
                start[i] = nnz;
                for (int p = off + i * cols, end = p + cols; p < end; p++) {
                    nnz += x[p] != 0f ? 1 : 0;
                }
            }
            start[rows] = nnz;
            entries(nnz);
            int q = 0;
            for (int i = 0; i < rows; i++) {
                int row = off + i * cols;
                for (int p = 0; p < cols; p++) {
                    float v = x[row + p];
                    if (v != 0f) {
                        index[q] = p;
                        value[q++] = v;
                    }
                }
            }
        }

        /** Lists of the columns of a rows x cols matrix (index: the row). */
        void ofColumns(float[] x, int off, int rows, int cols) {
            starts(cols);
            Arrays.fill(start, 0, cols + 1, 0);
            for (int p = 0; p < rows; p++) {
                int row = off + p * cols;
                for (int j = 0; j < cols; j++) {
                    if (x[row + j] != 0f) {
                        start[j + 1]++;
                    }
                }
            }
            for (int j = 0; j < cols; j++) {
                start[j + 1] += start[j];
            }
            entries(start[cols]);
            System.arraycopy(start, 0, fill, 0, cols);
            for (int p = 0; p < rows; p++) {
                int row = off + p * cols;
                for (int j = 0; j < cols; j++) {
                    float v = x[row + j];
                    if (v != 0f) {
                        int q = fill[j]++;
                        index[q] = p;
                        value[q] = v;
                    }
                }
            }
        }

        private void starts(int count) {
            if (start.length < count + 1) {
                start = new int[count + 1];
                fill = new int[count];
            }
        }

        private void entries(int count) {
            if (index.length < count) {
                index = new int[count];
                value = new float[count];
            }
        }
    }
}
