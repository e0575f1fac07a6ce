// Counter-based random numbers: corruption for denoising cells and normal samples. CPU reference: NoiseKernels in
// dev.uff4j.backend.cpu. The random bits of element pair q (elements 2q and 2q+1, row-major) are SplitMix64 hashes
// of (key, q), so they match the CPU bit for bit; so does the Box-Muller transform, FloatNormals' float polynomials
// operation for operation (compiled with -fmad=false, fmaf only where Java calls Math.fma; IEEE division and square
// root).
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

// FloatNormals' constants: the series of 2·atanh(s), sin x and cos x.
#define FN_LN2 0.6931471805599453f
#define FN_HALF_PI 1.5707963267948966f
#define FN_SQRT2 1.4142135623730951f

// FloatNormals.radius: sqrt(-2 ln u1), u1 = (high24 + 1)·2^-24, ln u1 = e·ln 2 + 2·atanh((m - 1)/(m + 1)).
__device__ __forceinline__ float fn_radius(uint32_t high24) {
    const float u = (float) (high24 + 1) * 0x1.0p-24f;
    const uint32_t bits = __float_as_uint(u);
    int e = (int) (bits >> 23) - 127;
    float m = __uint_as_float((bits & 0x7FFFFFu) | 0x3F800000u);
    if (m > FN_SQRT2) {
        m *= 0.5f;
        e += 1;
    }
    const float s = (m - 1.0f) / (m + 1.0f);
    const float s2 = s * s;
    float p = fmaf(s2, 2.0f / 9.0f, 2.0f / 7.0f);
    p = fmaf(p, s2, 2.0f / 5.0f);
    p = fmaf(p, s2, 2.0f / 3.0f);
    p = fmaf(p, s2, 2.0f);
    const float ln = fmaf((float) e, FN_LN2, p * s);
    return sqrtf(-2.0f * ln + 0.0f);
}

// FloatNormals.trig: the cosine and sine of 2π·j·2^-24 for a 24-bit j, by quadrant and mirror.
__device__ __forceinline__ void fn_cos_sin(uint32_t j, float* c, float* s) {
    const uint32_t q = j >> 22;
    const float t = (float) (j & 0x3FFFFFu) * 0x1.0p-22f;
    const bool mirror = t > 0.5f;
    const float x = (mirror ? 1.0f - t : t) * FN_HALF_PI;
    const float x2 = x * x;
    float sp = fmaf(x2, 1.0f / 362880.0f, -1.0f / 5040.0f);
    sp = fmaf(sp, x2, 1.0f / 120.0f);
    sp = fmaf(sp, x2, -1.0f / 6.0f);
    const float sinX = fmaf(sp * x2, x, x);
    float cp = fmaf(x2, -1.0f / 3628800.0f, 1.0f / 40320.0f);
    cp = fmaf(cp, x2, -1.0f / 720.0f);
    cp = fmaf(cp, x2, 1.0f / 24.0f);
    cp = fmaf(cp, x2, -0.5f);
    const float cosX = fmaf(cp, x2, 1.0f);
    const float sinT = mirror ? cosX : sinX;
    const float cosT = mirror ? sinX : cosX;
    switch (q) {
        case 0: *c = cosT; *s = sinT; break;
        case 1: *c = -sinT; *s = cosT; break;
        case 2: *c = -cosT; *s = -sinT; break;
        default: *c = sinT; *s = -cosT; break;
    }
}

// Two standard normal numbers from one random word (Box-Muller: the cosine for the even element, the sine for the
// odd one), as FloatNormals.fill computes them.
__device__ __forceinline__ void box_muller(uint64_t r1, float* n0, float* n1) {
    const float radius = fn_radius((uint32_t) (r1 >> 40));
    float c;
    float s;
    fn_cos_sin((uint32_t) (r1 & 0xFFFFFFull), &c, &s);
    *n0 = radius * c;
    *n1 = radius * s;
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
