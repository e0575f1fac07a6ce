// Counter-based random numbers: corruption for denoising cells and normal samples. CPU reference: NoiseKernels in
// dev.uff4j.backend.cpu. The random bits of element pair q (elements 2q and 2q+1, row-major) are SplitMix64 hashes
// of (key, q), so they match the CPU bit for bit; Box-Muller runs in double precision as in Java.
#pragma once
#include "common.cuh"

__device__ __forceinline__ uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

__device__ __forceinline__ float uniform24(uint64_t bits) {
    return (float) (bits & 0xFFFFFFull) * 0x1.0p-24f;
}

// The first random word of element pair q.
__device__ __forceinline__ uint64_t pair_bits(unsigned long long key, long long pair) {
    return mix64(key + (uint64_t) pair * 0xD1B54A32D192ED03ull);
}

// Two standard normal numbers from one random word (Box-Muller: the cosine for the even element, the sine for the
// odd one), as NoiseKernels.radius and angle compute them.
__device__ __forceinline__ void box_muller(uint64_t r1, float* n0, float* n1) {
    const double radius = sqrt(-2.0 * log((double) ((r1 >> 40) + 1) * 0x1.0p-24));
    const double angle = 2.0 * 3.141592653589793 * ((double) (r1 & 0xFFFFFFull) * 0x1.0p-24);
    *n0 = (float) (radius * cos(angle));
    *n1 = (float) (radius * sin(angle));
}

// NoiseKernels.Corrupt. One thread per element pair: mask with probability maskProb, else add std · N(0, 1).
UFF_KERNEL void corrupt(const float* __restrict__ x, float* __restrict__ o, long long size, unsigned long long key,
                        float std, float maskProb) {
    const long long pair = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    const long long i = 2 * pair;
    if (i >= size) {
        return;
    }
    const uint64_t r1 = pair_bits(key, pair);
    const uint64_t r2 = mix64(r1);
    float n0 = 0.0f;
    float n1 = 0.0f;
    if (std != 0.0f) {
        box_muller(r1, &n0, &n1);
    }
    o[i] = uniform24(r2 >> 40) < maskProb ? 0.0f : x[i] + std * n0;
    if (i + 1 < size) {
        o[i + 1] = uniform24(r2 & 0xFFFFFFull) < maskProb ? 0.0f : x[i + 1] + std * n1;
    }
}

// NoiseKernels.Randn. One thread per element pair: out = mean + std · N(0, 1), the same normal numbers corrupt adds.
UFF_KERNEL void randn(float* __restrict__ out, long long size, unsigned long long key, float mean, float std) {
    const long long pair = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    const long long i = 2 * pair;
    if (i >= size) {
        return;
    }
    float n0;
    float n1;
    box_muller(pair_bits(key, pair), &n0, &n1);
    out[i] = mean + std * n0;
    if (i + 1 < size) {
        out[i + 1] = mean + std * n1;
    }
}
