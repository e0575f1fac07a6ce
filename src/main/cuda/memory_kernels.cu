// Column copies for concatenating latents. CPU reference: MemoryKernels in dev.uff4j.backend.cpu.
#pragma once
#include "common.cuh"

// dst[r][col + j] = src[r][j] for src: rows x srcCols, dst: rows x dstCols; one thread per element of src.
UFF_KERNEL void copy_columns(const float* __restrict__ src, float* __restrict__ dst, int rows, int srcCols,
                             int dstCols, int col) {
    const long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long) rows * srcCols) {
        return;
    }
    const long long r = i / srcCols;
    const int j = (int) (i - r * srcCols);
    dst[r * dstCols + col + j] = src[i];
}

// dst[r][j] += src[r][col + j] for dst: rows x dstCols, src: rows x srcCols; one thread per element of dst.
UFF_KERNEL void add_columns(const float* __restrict__ src, float* __restrict__ dst, int rows, int srcCols,
                            int dstCols, int col) {
    const long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long) rows * dstCols) {
        return;
    }
    const long long r = i / dstCols;
    const int j = (int) (i - r * dstCols);
    dst[i] += src[r * srcCols + col + j];
}
