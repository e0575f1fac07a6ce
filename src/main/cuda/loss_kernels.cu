// Losses with their gradients in one pass, and metrics. CPU reference: LossKernels in dev.uff4j.backend.cpu.
// A loss kernel writes one double per row; finish_sum then adds (multiplier · Σ rows) / divisor to acc[slot],
// summing the rows in a fixed order, so results do not depend on scheduling and nothing is read back per step.
#pragma once
#include "common.cuh"

// One block of 256 threads: acc[slot] += (float) (multiplier * Σ values[0..rows) / divisor).
UFF_KERNEL void finish_sum(const double* __restrict__ values, int rows, double multiplier, double divisor,
                           float* __restrict__ acc, int slot) {
    __shared__ double scratch[32];
    double sum = 0.0;
    for (int r = threadIdx.x; r < rows; r += blockDim.x) {
        sum += values[r];
    }
    sum = block_sum(sum, scratch);
    if (threadIdx.x == 0) {
        acc[slot] += (float) (multiplier * sum / divisor);
    }
}

// One block per row: rowSums[r] = Σ (o - t)², dz = scale · (o - t) · d with scale = 2 / size.
UFF_KERNEL void mse_rows(const float* __restrict__ o, const float* __restrict__ t, const float* __restrict__ d,
                         float* __restrict__ dz, int cols, float scale, double* __restrict__ rowSums) {
    __shared__ double scratch[32];
    const size_t base = (size_t) blockIdx.x * cols;
    double acc = 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        const float diff = o[base + j] - t[base + j];
        acc += diff * diff;
        dz[base + j] = scale * diff * d[base + j];
    }
    acc = block_sum(acc, scratch);
    if (threadIdx.x == 0) {
        rowSums[blockIdx.x] = acc;
    }
}

__device__ __forceinline__ int row_argmax(const float* zr, int cols) {
    int best = 0;
    float max = zr[0];
    for (int j = 1; j < cols; ++j) {
        if (zr[j] > max) {
            max = zr[j];
            best = j;
        }
    }
    return best;
}

// One thread per row: the row's loss log Σ exp(z - max) - (z[label] - max), whether its arg-max is the label,
// and dLogits = (softmax - onehot) · invRows.
UFF_KERNEL void softmax_cross_entropy(const float* __restrict__ z, const float* __restrict__ labels,
                                      float* __restrict__ g, int rows, int cols, float invRows,
                                      double* __restrict__ rowLoss, double* __restrict__ rowHit, int* error) {
    const int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) {
        return;
    }
    const float* zr = z + (size_t) r * cols;
    const int label = checked_label(labels[r], r, cols, OP_SOFTMAX_CROSS_ENTROPY, error);
    const int best = row_argmax(zr, cols);
    const float max = zr[best];
    double sumExp = 0.0;
    for (int j = 0; j < cols; ++j) {
        sumExp += exp((double) (zr[j] - max));
    }
    const double logSum = log(sumExp);
    rowLoss[r] = logSum - (double) (zr[label] - max);
    rowHit[r] = best == label ? 1.0 : 0.0;
    float* gr = g + (size_t) r * cols;
    for (int j = 0; j < cols; ++j) {
        const float p = (float) exp((double) (zr[j] - max) - logSum);
        gr[j] = (p - (j == label ? 1.0f : 0.0f)) * invRows;
    }
}

// One thread per row: rowHit[r] = 1 when the row's arg-max is its label.
UFF_KERNEL void count_correct(const float* __restrict__ z, const float* __restrict__ labels, int rows, int cols,
                              double* __restrict__ rowHit, int* error) {
    const int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r >= rows) {
        return;
    }
    const int label = checked_label(labels[r], r, cols, OP_COUNT_CORRECT, error);
    rowHit[r] = row_argmax(z + (size_t) r * cols, cols) == label ? 1.0 : 0.0;
}

// One thread per row: out[r] = index of the row's largest value (the first on ties).
UFF_KERNEL void argmax_rows(const float* __restrict__ z, float* __restrict__ out, int rows, int cols) {
    const int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) {
        out[r] = (float) row_argmax(z + (size_t) r * cols, cols);
    }
}

// One block per row: rowSums[r] = Σ |a|, grad += step · sign(a) with step = lambda / rows.
UFF_KERNEL void l1_rows(const float* __restrict__ a, float* __restrict__ grad, int cols, float step,
                        double* __restrict__ rowSums) {
    __shared__ double scratch[32];
    const size_t base = (size_t) blockIdx.x * cols;
    double acc = 0.0;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        const float v = a[base + j];
        acc += fabsf(v);
        grad[base + j] += v > 0.0f ? step : (v < 0.0f ? -step : 0.0f);
    }
    acc = block_sum(acc, scratch);
    if (threadIdx.x == 0) {
        rowSums[blockIdx.x] = acc;
    }
}
