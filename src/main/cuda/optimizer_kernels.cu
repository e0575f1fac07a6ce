// One AdamW step over a flat parameter buffer in one launch. CPU reference: OptimizerKernels in
// dev.uff4j.backend.cpu (PyTorch's torch.optim.AdamW order of operations); the float constants come from
// dev.uff4j.backend.AdamWStep, as the CPU backend's do, so both round the same way.
#pragma once
#include "common.cuh"

UFF_KERNEL void adamw(float* __restrict__ p, const float* __restrict__ g, float* __restrict__ m,
                      float* __restrict__ v, long long size, long long decayCount, float decayFactor, float beta1,
                      float beta2, float oneMinusBeta1, float oneMinusBeta2, float eps, float stepSize,
                      float invSqrtBc2) {
    const long long stride = (long long) gridDim.x * blockDim.x;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < size; i += stride) {
        const float decay = i < decayCount ? decayFactor : 1.0f;
        const float gi = g[i];
        const float mi = beta1 * m[i] + oneMinusBeta1 * gi;
        const float vi = beta2 * v[i] + oneMinusBeta2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        const float denom = sqrtf(vi) * invSqrtBc2 + eps;
        p[i] = p[i] * decay - stepSize * mi / denom;
    }
}
