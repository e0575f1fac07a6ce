// Forward-Forward ops (Hinton, 2022). CPU reference: GoodnessKernels in dev.uff4j.backend.cpu; the arithmetic
// follows it step by step (double row sums, float element-wise products).
#pragma once
#include "common.cuh"
#include "noise_kernels.cu"

// One thread per element: out = x with columns [0, classes) set to value at the label's column, 0 elsewhere;
// labels == null writes value into all of them. out may alias x.
UFF_KERNEL void overlay_labels(const float* x, const float* __restrict__ labels, float* out, int rows, int cols,
                               int classes, float value, int* error) {
    const long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= (long long) rows * cols) {
        return;
    }
    const int r = (int) (i / cols);
    const int j = (int) (i - (long long) r * cols);
    if (j >= classes) {
        out[i] = x[i];
        return;
    }
    if (labels == nullptr) {
        out[i] = value;
        return;
    }
    const int label = checked_label(labels[r], r, classes, OP_OVERLAY_LABELS, error);
    out[i] = j == label ? value : 0.0f;
}

// One thread per row: out = (label + 1 + u) mod classes, u in [0, classes - 2] from 24 bits of mix64(key, row).
UFF_KERNEL void wrong_labels(const float* __restrict__ labels, float* __restrict__ out, int rows, int classes,
                             unsigned long long key, int* error) {
    const int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) {
        return;
    }
    const int label = checked_label(labels[r], r, classes, OP_WRONG_LABELS, error);
    const uint64_t bits = mix64(key + (uint64_t) r * 0xD1B54A32D192ED03ull) >> 40;
    const int u = (int) ((bits * (uint64_t) (classes - 1)) >> 24);
    out[r] = (float) ((label + 1 + u) % classes);
}

// One thread per row: a label j != labels[r] drawn with probability proportional to
// exp(temperature (scores[r][j] - m)), m the largest wrong-label score, by u in [0, 1) from 53 bits of
// mix64(key, row): the first j whose running sum of weights exceeds u times their total.
UFF_KERNEL void sample_wrong_labels(const float* __restrict__ scores, const float* __restrict__ labels,
                                    float* __restrict__ out, int rows, int classes, float temperature,
                                    unsigned long long key, int* error) {
    const int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) {
        return;
    }
    const int label = checked_label(labels[r], r, classes, OP_SAMPLE_WRONG_LABELS, error);
    const float* row = scores + (size_t) r * classes;
    double max = -INFINITY;
    for (int j = 0; j < classes; j++) {
        const double v = row[j];
        if (j != label && v > max) {
            max = v;
        }
    }
    double sum = 0.0;
    for (int j = 0; j < classes; j++) {
        if (j != label) {
            sum += exp((double) temperature * (row[j] - max));
        }
    }
    double u = (double) (mix64(key + (uint64_t) r * 0xD1B54A32D192ED03ull) >> 11) * 0x1.0p-53 * sum;
    int pick = -1;
    for (int j = 0; j < classes; j++) {
        if (j != label) {
            pick = j;
            u -= exp((double) temperature * (row[j] - max));
            if (u < 0.0) {
                break;
            }
        }
    }
    out[r] = (float) pick;
}

// The row's mean of squares, a double summed over the block (every thread gets it).
__device__ double block_mean_square(const float* row, int cols, double* scratch) {
    double sq = 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        const float v = row[j];
        sq += v * v;
    }
    return block_sum(sq, scratch) / cols;
}

// One block per row: out = x / (rms(x) + 1e-4), rms(x) = sqrt(mean x^2).
UFF_KERNEL void normalize_rows(const float* __restrict__ x, float* __restrict__ out, int cols) {
    __shared__ double scratch[32];
    const size_t base = (size_t) blockIdx.x * cols;
    double sq = 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        const float v = x[base + j];
        sq += v * v;
    }
    const float inv = (float) (1.0 / (sqrt(block_sum(sq, scratch) / cols) + 1e-4));
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        out[base + j] = x[base + j] * inv;
    }
}

__device__ __forceinline__ double softplus(double v) {
    return fmax(v, 0.0) + log1p(exp(-fabs(v)));
}

__device__ __forceinline__ double sigmoid_d(double v) {
    return v >= 0.0 ? 1.0 / (1.0 + exp(-v)) : exp(v) / (1.0 + exp(v));
}

// One block per row: rowLoss[r] = softplus(-z) with z = scale (g - threshold), g = mean h^2;
// dh = -scale sigmoid(-z) 2 h / (cols rows). scale > 0 for positive data, < 0 for negative data.
UFF_KERNEL void goodness_loss(const float* __restrict__ h, float* __restrict__ dh, int rows, int cols, float scale,
                              float threshold, double* __restrict__ rowLoss) {
    __shared__ double scratch[32];
    const size_t base = (size_t) blockIdx.x * cols;
    const double g = block_mean_square(h + base, cols, scratch);
    const double z = scale * (g - threshold);
    const float coef = (float) (-scale * sigmoid_d(-z) * 2.0 / ((double) cols * rows));
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        dh[base + j] = coef * h[base + j];
    }
    if (threadIdx.x == 0) {
        rowLoss[blockIdx.x] = softplus(-z);
    }
}

// One block per row: scores[r][col] += mean h^2.
UFF_KERNEL void add_goodness(const float* __restrict__ h, float* __restrict__ scores, int cols, int scoreCols,
                             int col) {
    __shared__ double scratch[32];
    const double g = block_mean_square(h + (size_t) blockIdx.x * cols, cols, scratch);
    if (threadIdx.x == 0) {
        scores[(size_t) blockIdx.x * scoreCols + col] += (float) g;
    }
}
