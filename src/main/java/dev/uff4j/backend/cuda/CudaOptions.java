package dev.uff4j.backend.cuda;

/**
 * How the CUDA backend computes: {@link dev.uff4j.backend.factory.BackendOptions}'s GPU half, as the backend takes it.
 *
 * @param gemm   {@code auto} (cuBLAS when it loads, else uff4j's own GEMM kernel), {@code cublas} or {@code kernel}
 * @param tf32   let cuBLAS use TF32 tensor cores for float32 products (about 10 bits of mantissa per product);
 *               off by default, so results match the CPU backend to float32 rounding
 * @param debug  synchronise after every kernel launch and check it, so an error names the kernel that failed
 *               (slow; the conformance tests run this way)
 * @param device the CUDA device ordinal
 */
record CudaOptions(String gemm, boolean tf32, boolean debug, int device) {
    public CudaOptions {
        if (!gemm.equals("auto") && !gemm.equals("cublas") && !gemm.equals("kernel")) {
            throw new IllegalArgumentException("CUDA GEMM must be auto, cublas or kernel, got '" + gemm + "'");
        }
        if (device < 0) {
            throw new IllegalArgumentException("CUDA device must be >= 0, got " + device);
        }
    }
}
