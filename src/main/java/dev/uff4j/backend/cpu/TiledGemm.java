package dev.uff4j.backend.cpu;

import java.util.Arrays;

/**
 * What the packed GEMM kernels share: argument checks, the trivial shapes, the current problem's fields, and the
 * split of C over the worker pool into tiles of whole micro-tile rows or columns. A subclass computes one rectangle
 * of C; which dimension is split comes from {@link Gemms#splitRows}, weighted by the subclass's packing costs.
 * Work is never split over k, so every element's sum runs in one order whatever the thread count.
 * Calls on one instance are serialised.
 */
abstract class TiledGemm implements Gemm {
    private final WorkerPool pool;
    private final WorkerPool.Task task = this::runPart;
    private final int rowTile;
    private final int colTile;
    private final long parallelMinFmas;
    private final double packAWeight;
    private final double packBWeight;
    private final double packBtWeight;

    // The current problem, set by multiply() before the pool runs and read by the parts.
    boolean transA;
    boolean transB;
    int m;
    int n;
    int k;
    float[] a;
    int aOff;
    int lda;
    float[] b;
    int bOff;
    int ldb;
    boolean accumulate;
    float[] c;
    int cOff;
    int ldc;
    private boolean splitM;
    private int tiles;
    // The fused epilogue of multiplyBiasActivation (epiBias null otherwise): what the subclass applies to each
    // finished tile of C.
    float[] epiBias;
    int epiBiasOff;
    boolean epiRelu;
    float[] epiDeriv;
    int epiDerivOff;

    /**
     * @param rowTile         rows of C per split unit (the micro-tile height)
     * @param colTile         columns of C per split unit
     * @param parallelMinFmas below this many multiply-adds a call runs on the calling thread only
     * @param packAWeight     cost of packing one A element, in kernel multiply-adds (B, transposed B likewise)
     */
    TiledGemm(WorkerPool pool, int rowTile, int colTile, long parallelMinFmas, double packAWeight,
              double packBWeight, double packBtWeight) {
        this.pool = pool;
        this.rowTile = rowTile;
        this.colTile = colTile;
        this.parallelMinFmas = parallelMinFmas;
        this.packAWeight = packAWeight;
        this.packBWeight = packBWeight;
        this.packBtWeight = packBtWeight;
    }

    int threads() {
        return pool.threads();
    }

    /** Called once per multiply, after the fields are set and before the parts run. */
    void prepare() {
    }

    /** C[i0:i1, j0:j1] (+)= op(A)[i0:i1, :] op(B)[:, j0:j1], as part {@code part} (its scratch index). */
    abstract void compute(int part, int i0, int i1, int j0, int j1);

    @Override
    public final synchronized void multiply(boolean transA, boolean transB, int m, int n, int k,
                                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                            boolean accumulate, float[] c, int cOff, int ldc) {
        Gemms.checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        this.transA = transA;
        this.transB = transB;
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = a;
        this.aOff = aOff;
        this.lda = lda;
        this.b = b;
        this.bOff = bOff;
        this.ldb = ldb;
        this.accumulate = accumulate;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        prepare();
        int tilesM = (m + rowTile - 1) / rowTile;
        int tilesN = (n + colTile - 1) / colTile;
        int parts = (long) m * n * k < parallelMinFmas ? 1 : Math.min(pool.threads(), Math.max(tilesM, tilesN));
        this.splitM = Gemms.splitRows(m, n, k, rowTile, colTile, parts, packAWeight,
                transB ? packBtWeight : packBWeight);
        this.tiles = splitM ? tilesM : tilesN;
        parts = Math.min(parts, tiles);
        try {
            pool.run(task, parts);
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
        }
    }

    /** Whether {@link #multiplyBiasActivation} is available (false: the caller adds the bias and activates). */
    boolean fusesBiasActivation() {
        return false;
    }

    /**
     * A dense layer's forward product with its bias and activation applied to each tile of C while it is in cache:
     * {@code C = A·B}, then {@code C[i][j] += bias[j]}, then ReLU ({@code max(C, 0)}) when {@code relu}, and when
     * {@code deriv} is not null its derivative there (same shape and row stride as C): ReLU's
     * {@code min(C·2^252, 1)}, identity's 1. The same operations in the same order as a separate pass after
     * {@link #multiply}, so the same bits. Only when {@link #fusesBiasActivation()}; k must be positive.
     */
    final synchronized void multiplyBiasActivation(int m, int n, int k, float[] a, int aOff, int lda, float[] b,
                                                   int bOff, int ldb, float[] c, int cOff, int ldc, float[] bias,
                                                   int biasOff, boolean relu, float[] deriv, int derivOff) {
        if (!fusesBiasActivation() || k <= 0) {
            throw new IllegalStateException(name() + ": no fused epilogue for k=" + k);
        }
        if (bias == null || biasOff < 0 || (long) biasOff + n > bias.length) {
            throw new IllegalArgumentException("bias: " + n + " values at offset " + biasOff + " do not fit");
        }
        if (deriv != null && m > 0 && n > 0
                && (derivOff < 0 || (long) derivOff + (long) (m - 1) * ldc + n > deriv.length)) {
            throw new IllegalArgumentException("deriv: " + m + " x " + n + " at offset " + derivOff
                    + " with row stride " + ldc + " does not fit in " + deriv.length + " elements");
        }
        this.epiBias = bias;
        this.epiBiasOff = biasOff;
        this.epiRelu = relu;
        this.epiDeriv = deriv;
        this.epiDerivOff = derivOff;
        try {
            multiply(false, false, m, n, k, a, aOff, lda, b, bOff, ldb, false, c, cOff, ldc);
        } finally {
            this.epiBias = null;
            this.epiDeriv = null;
        }
    }

    private void runPart(int part, int parts) {
        int t0 = (int) ((long) tiles * part / parts);
        int t1 = (int) ((long) tiles * (part + 1) / parts);
        if (splitM) {
            compute(part, t0 * rowTile, Math.min(m, t1 * rowTile), 0, n);
        } else {
            compute(part, 0, m, t0 * colTile, Math.min(n, t1 * colTile));
        }
    }
}
