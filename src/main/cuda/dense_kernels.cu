// Dense-layer epilogues: what runs on the GEMM output z = x·W, and the element-wise ops of a layer's backward. CPU
// reference: DenseKernels in dev.uff4j.backend.cpu (Forward, Backward, ColumnTopK, ColumnSum, MulMask); the
// arithmetic follows it step by step.
#pragma once
#include "common.cuh"

// DenseKernels.activate, for one element: the activation of z and its derivative. The convolution's epilogue
// (conv_kernels.cu) uses it too, as the CPU's does.
__device__ __forceinline__ float activate(int act, float z, float* deriv) {
    switch (act) {
        case ACT_RELU: {
            // as Java's Math.max(z, 0) and its derivative: +0 for every z <= 0, a NaN passed on
            const float y = z > 0.0f ? z : (z != z ? z : 0.0f);
            *deriv = y > 0.0f ? 1.0f : (y != y ? y : 0.0f);
            return y;
        }
        case ACT_SIGMOID: {
            const float y = z >= 0.0f ? 1.0f / (1.0f + expf(-z)) : expf(z) / (1.0f + expf(z));
            *deriv = y * (1.0f - y);
            return y;
        }
        case ACT_TANH: {
            const float y = tanhf(z);
            *deriv = 1.0f - y * y;
            return y;
        }
        default:
            *deriv = 1.0f;
            return z;
    }
}

// The k-th largest order key of v[0..n) (1 <= k <= n), found bit by bit from the top: the largest T with
// count(key >= T) >= k. Called by the whole block.
__device__ unsigned block_kth_largest_key(const float* v, int n, int k, int* scratch) {
    unsigned prefix = 0;
    for (int bit = 31; bit >= 0; --bit) {
        const unsigned candidate = prefix | (1u << bit);
        int count = 0;
        for (int j = threadIdx.x; j < n; j += blockDim.x) {
            count += order_key(v[j]) >= candidate;
        }
        if (block_sum(count, scratch) >= k) {
            prefix = candidate;
        }
    }
    return prefix;
}

// Keeps the k largest values of a row (ties at the k-th value kept in index order) and zeroes the rest, and their
// derivatives. Each thread owns a contiguous chunk of the row, so chunk order is index order.
__device__ void block_keep_top_k(float* o, float* d, int n, int k, int* scratch, int* chunkTies) {
    const unsigned kth = block_kth_largest_key(o, n, k, scratch);
    int above = 0;
    for (int j = threadIdx.x; j < n; j += blockDim.x) {
        above += order_key(o[j]) > kth;
    }
    const int tiesToKeep = k - block_sum(above, scratch);
    const int chunk = (n + blockDim.x - 1) / blockDim.x;
    const int from = min(n, (int) threadIdx.x * chunk);
    const int to = min(n, from + chunk);
    int ties = 0;
    for (int j = from; j < to; ++j) {
        ties += order_key(o[j]) == kth;
    }
    chunkTies[threadIdx.x] = ties;
    __syncthreads();
    if (threadIdx.x == 0) {
        int sum = 0;
        for (int t = 0; t < (int) blockDim.x; ++t) {
            const int c = chunkTies[t];
            chunkTies[t] = sum;
            sum += c;
        }
    }
    __syncthreads();
    int rank = chunkTies[threadIdx.x];
    for (int j = from; j < to; ++j) {
        const unsigned key = order_key(o[j]);
        if (key > kth || (key == kth && rank++ < tiesToKeep)) {
            continue;
        }
        o[j] = 0.0f;
        if (d != nullptr) {
            d[j] = 0.0f;
        }
    }
    __syncthreads();
}

// One block per row (blockDim.x = 256): o = layerNorm(topK(act(o + b))), d = act'(.) (0 where top-k dropped),
// rowScale = 1/std of the row. d and rowScale may be null.
UFF_KERNEL void dense_epilogue(float* __restrict__ o, const float* __restrict__ b, float* __restrict__ d,
                               float* __restrict__ rowScale, int cols, int act, int topK, int layerNorm) {
    __shared__ int intScratch[32];
    __shared__ double scratch[32];
    __shared__ int chunkTies[1024];
    const size_t row = blockIdx.x;
    float* orow = o + row * cols;
    float* drow = d == nullptr ? nullptr : d + row * cols;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float deriv;
        const float y = activate(act, orow[j] + b[j], &deriv);
        orow[j] = y;
        if (drow != nullptr) {
            drow[j] = deriv;
        }
    }
    __syncthreads();
    if (topK > 0 && topK < cols) {
        block_keep_top_k(orow, drow, cols, topK, intScratch, chunkTies);
    }
    if (layerNorm) {
        double sum = 0.0;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            sum += orow[j];
        }
        const float mean = (float) (block_sum(sum, scratch) / cols);
        double sq = 0.0;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            const float c = orow[j] - mean;
            sq += c * c;
        }
        const float rstd = (float) (1.0 / sqrt(block_sum(sq, scratch) / cols + (double) 1e-5f));
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            orow[j] = (orow[j] - mean) * rstd;
        }
        if (rowScale != nullptr && threadIdx.x == 0) {
            rowScale[row] = rstd;
        }
    }
}

// One block per row: dz = (layer-norm backward of g) * d, or g * d without layer norm. dz may alias g: every
// read of g for the row's sums happens before the first write.
UFF_KERNEL void epilogue_backward(const float* g, const float* __restrict__ y, const float* __restrict__ d,
                                  const float* __restrict__ rowScale, float* dz, int cols, int layerNorm) {
    __shared__ double scratch[32];
    const size_t row = blockIdx.x;
    const float* grow = g + row * cols;
    const float* yrow = y + row * cols;
    const float* drow = d + row * cols;
    float* zrow = dz + row * cols;
    if (layerNorm) {
        double sg = 0.0;
        double sgy = 0.0;
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            const float gj = grow[j];
            sg += gj;
            sgy += gj * yrow[j];
        }
        const float meanG = (float) (block_sum(sg, scratch) / cols);
        const float meanGy = (float) (block_sum(sgy, scratch) / cols);
        const float rstd = rowScale[row];
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            zrow[j] = rstd * (grow[j] - meanG - yrow[j] * meanGy) * drow[j];
        }
    } else {
        for (int j = threadIdx.x; j < cols; j += blockDim.x) {
            zrow[j] = grow[j] * drow[j];
        }
    }
}

// Lifetime sparsity: in each column keep the k largest values over the rows (lower row wins a tie), zero the rest
// and their derivatives. Block (32, 8): 32 columns, each split into 8 contiguous row chunks.
UFF_KERNEL void column_top_k(float* __restrict__ o, float* __restrict__ d, int rows, int cols, int k) {
    __shared__ int partial[8][33];
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int col = blockIdx.x * 32 + tx;
    const bool active = col < cols;
    const int chunk = (rows + 7) / 8;
    const int from = min(rows, ty * chunk);
    const int to = min(rows, from + chunk);
    unsigned prefix = 0;
    for (int bit = 31; bit >= 0; --bit) {
        const unsigned candidate = prefix | (1u << bit);
        int count = 0;
        if (active) {
            for (int r = from; r < to; ++r) {
                count += order_key(o[(size_t) r * cols + col]) >= candidate;
            }
        }
        partial[ty][tx] = count;
        __syncthreads();
        int total = 0;
        for (int t = 0; t < 8; ++t) {
            total += partial[t][tx];
        }
        __syncthreads();
        if (total >= k) {
            prefix = candidate;
        }
    }
    int above = 0;
    int ties = 0;
    if (active) {
        for (int r = from; r < to; ++r) {
            const unsigned key = order_key(o[(size_t) r * cols + col]);
            above += key > prefix;
            ties += key == prefix;
        }
    }
    partial[ty][tx] = above;
    __syncthreads();
    int totalAbove = 0;
    for (int t = 0; t < 8; ++t) {
        totalAbove += partial[t][tx];
    }
    __syncthreads();
    partial[ty][tx] = ties;
    __syncthreads();
    int rank = 0;  // ties in the chunks above this one
    for (int t = 0; t < ty; ++t) {
        rank += partial[t][tx];
    }
    if (!active) {
        return;
    }
    const int tiesToKeep = k - totalAbove;
    for (int r = from; r < to; ++r) {
        const size_t i = (size_t) r * cols + col;
        const unsigned key = order_key(o[i]);
        if (key > prefix || (key == prefix && rank++ < tiesToKeep)) {
            continue;
        }
        o[i] = 0.0f;
        d[i] = 0.0f;
    }
}

// db[j] = sum over rows of dz[r][j], summed in row order; one thread per column.
UFF_KERNEL void column_sum(const float* __restrict__ m, float* __restrict__ out, int rows, int cols) {
    const int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= cols) {
        return;
    }
    float sum = 0.0f;
    for (int r = 0; r < rows; ++r) {
        sum += m[(size_t) r * cols + col];
    }
    out[col] = sum;
}

// DenseKernels.MulMask. One thread per element: out = x · mask (out may alias x).
UFF_KERNEL void mul_mask(const float* x, const float* __restrict__ mask, float* out, long long size) {
    const long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < size) {
        out[i] = x[i] * mask[i];
    }
}
