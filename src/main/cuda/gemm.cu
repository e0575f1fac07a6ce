// A plain tiled float32 GEMM, C = op(A)·op(B) row-major, for GPUs where cuBLAS cannot be loaded. cuBLAS is the
// default (see KernelMatMul / CublasMatMul in dev.uff4j.backend.cuda); this kernel is tested against the same
// CPU reference (CpuBackend's Gemm) and benchmarked beside cuBLAS.
// 64x64 tile of C per block of 16x16 threads, 4x4 outputs per thread, k in steps of 16 through shared memory.
#pragma once
#include "common.cuh"

#define GEMM_TILE 64
#define GEMM_K 16

UFF_KERNEL void gemm(int transA, int transB, int m, int n, int k, const float* __restrict__ a, int lda,
                     const float* __restrict__ b, int ldb, float* __restrict__ c, int ldc) {
    __shared__ float as[GEMM_K][GEMM_TILE + 1];
    __shared__ float bs[GEMM_K][GEMM_TILE + 1];
    const int tx = threadIdx.x;  // 0..15: columns tx + 16 j
    const int ty = threadIdx.y;  // 0..15: rows ty + 16 i
    const int tid = ty * 16 + tx;
    const int row0 = blockIdx.y * GEMM_TILE;
    const int col0 = blockIdx.x * GEMM_TILE;
    float acc[4][4] = {};
    for (int k0 = 0; k0 < k; k0 += GEMM_K) {
        // 1024 elements of each tile, 4 per thread
        for (int e = tid; e < GEMM_TILE * GEMM_K; e += 256) {
            const int kk = transA ? e / GEMM_TILE : e % GEMM_K;
            const int ii = transA ? e % GEMM_TILE : e / GEMM_K;
            const int gi = row0 + ii;
            const int gk = k0 + kk;
            float va = 0.0f;
            if (gi < m && gk < k) {
                va = transA ? a[(size_t) gk * lda + gi] : a[(size_t) gi * lda + gk];
            }
            as[kk][ii] = va;
            const int kb = transB ? e % GEMM_K : e / GEMM_TILE;
            const int jb = transB ? e / GEMM_K : e % GEMM_TILE;
            const int gj = col0 + jb;
            const int gkb = k0 + kb;
            float vb = 0.0f;
            if (gj < n && gkb < k) {
                vb = transB ? b[(size_t) gj * ldb + gkb] : b[(size_t) gkb * ldb + gj];
            }
            bs[kb][jb] = vb;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < GEMM_K; ++kk) {
            float ra[4];
            float rb[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                ra[i] = as[kk][ty + 16 * i];
                rb[i] = bs[kk][tx + 16 * i];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i) {
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    acc[i][j] = __fmaf_rn(ra[i], rb[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; ++i) {
        const int gi = row0 + ty + 16 * i;
        if (gi >= m) {
            continue;
        }
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const int gj = col0 + tx + 16 * j;
            if (gj < n) {
                c[(size_t) gi * ldc + gj] = acc[i][j];
            }
        }
    }
}
