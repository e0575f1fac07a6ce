package dev.uff4j.backend.cpu;

/**
 * Single-precision matrix multiply on row-major Java arrays, the one piece of the CPU backend that is pluggable
 * (a pure-Java kernel today, a native BLAS could sit behind it later):
 * {@code C = op(A)·op(B)} or {@code C += op(A)·op(B)}, where op(A) is m x k and op(B) is k x n.
 * A is stored as m x k (row stride lda) or, when transposed, as k x m; likewise B.
 *
 * <p>Implementations must be deterministic: the result may not depend on the number of threads, so every
 * element's dot product is summed in an order fixed by (m, n, k) alone.
 */
public interface Gemm {
    void multiply(boolean transA, boolean transB, int m, int n, int k,
                  float[] a, int aOff, int lda,
                  float[] b, int bOff, int ldb,
                  boolean accumulate, float[] c, int cOff, int ldc);

    /** Short name for reports and {@code uff4j info}, e.g. {@code vector-512} or {@code blocked}. */
    String name();
}
