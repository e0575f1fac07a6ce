package dev.uff4j.backend.cuda;

/** {@code C = op(A)·op(B)} on the device for row-major matrices (C is m x n, the inner dimension k). */
interface MatMul {
    /** e.g. {@code cublas fp32}, {@code cublas tf32}, {@code kernel}. */
    String name();

    void multiply(boolean transA, boolean transB, int m, int n, int k, CudaTensor a, int lda, CudaTensor b, int ldb,
                  CudaTensor c, int ldc);

    void close();
}
