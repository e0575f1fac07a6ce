package dev.uff4j.backend.cpu;

/** Placeholder i-k-j GEMM (single thread); replaced by the blocked kernels. */
final class SimpleGemm implements Gemm {
    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         boolean accumulate, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                if (av == 0f) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    c[ci + j] += av * bv;
                }
            }
        }
    }

    @Override
    public String name() {
        return "simple";
    }
}
