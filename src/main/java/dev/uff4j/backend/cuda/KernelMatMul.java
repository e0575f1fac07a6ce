package dev.uff4j.backend.cuda;

/** Matrix products through uff4j's own tiled GEMM kernel ({@code src/main/cuda/gemm.cu}): no cuBLAS needed. */
final class KernelMatMul implements MatMul {
    private final Kernels kernels;

    KernelMatMul(Kernels kernels) {
        this.kernels = kernels;
    }

    @Override
    public String name() {
        return "kernel";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, CudaTensor a, int lda, CudaTensor b,
                         int ldb, CudaTensor c, int ldc) {
        kernels.gemm(transA, transB, m, n, k, a.address, lda, b.address, ldb, c.address, ldc);
    }

    @Override
    public void close() {
        // nothing of its own
    }
}
