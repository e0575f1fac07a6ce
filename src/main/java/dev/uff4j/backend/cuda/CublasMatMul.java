package dev.uff4j.backend.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;

/**
 * Matrix products through cuBLAS on the backend's stream. cuBLAS is column-major and our tensors are row-major:
 * a row-major C = op(A)·op(B) is the column-major Cᵀ = op(B)ᵀ·op(A)ᵀ, so the call swaps the operands and keeps
 * each one's transpose flag.
 */
final class CublasMatMul implements MatMul {
    private final cublasContext handle = new cublasContext();
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);
    private final boolean tf32;

    private CublasMatMul(CUstream_st stream, boolean tf32) {
        this.tf32 = tf32;
        Driver.checkBlas(cublas.cublasCreate_v2(handle), "cublasCreate");
        Driver.checkBlas(cublas.cublasSetStream_v2(handle, stream), "cublasSetStream");
        Driver.checkBlas(cublas.cublasSetMathMode(handle,
                tf32 ? cublas.CUBLAS_TF32_TENSOR_OP_MATH : cublas.CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    }

    /** cuBLAS on {@code stream}, or an exception whose message says why it cannot load (e.g. no libcublas). */
    static CublasMatMul open(CUstream_st stream, boolean tf32) {
        try {
            Loader.load(cublas.class);
        } catch (Throwable t) {
            throw new CudaException("cannot load cuBLAS: " + CudaProbe.rootCause(t));
        }
        return new CublasMatMul(stream, tf32);
    }

    @Override
    public String name() {
        return tf32 ? "cublas tf32" : "cublas fp32";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k, CudaTensor a, int lda, CudaTensor b,
                         int ldb, CudaTensor c, int ldc) {
        Driver.checkBlas(cublas.cublasSgemm_v2(handle, transB ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                transA ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, n, m, k, one, b.pointer(), ldb, a.pointer(), lda,
                zero, c.pointer(), ldc), "cublasSgemm");
    }

    @Override
    public void close() {
        cublas.cublasDestroy_v2(handle);
        one.close();
        zero.close();
    }
}
