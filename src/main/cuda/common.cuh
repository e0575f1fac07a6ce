// Shared device helpers of the uff4j kernels. Every kernel is extern "C" so Java finds it by its plain name
// (cuModuleGetFunction); its Java launcher in dev.uff4j.backend.cuda.Kernels passes the arguments in this order.
#pragma once
#include <cstdint>

#define UFF_KERNEL extern "C" __global__

// Activation codes: the ordinals of dev.uff4j.backend.Activation.
enum { ACT_IDENTITY = 0, ACT_RELU = 1, ACT_SIGMOID = 2, ACT_TANH = 3 };

// Sum of one value per thread over the block, returned to every thread, in a fixed order (so deterministic).
// blockDim.x must be a multiple of 32; scratch holds 32 values.
template <typename T>
__device__ T block_sum(T v, T* scratch) {
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_down_sync(0xffffffffu, v, o);
    }
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    __syncthreads();  // an earlier call may still be reading scratch
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    if (warp == 0) {
        v = lane < (int) (blockDim.x >> 5) ? scratch[lane] : T(0);
        for (int o = 16; o > 0; o >>= 1) {
            v += __shfl_down_sync(0xffffffffu, v, o);
        }
        if (lane == 0) {
            scratch[0] = v;
        }
    }
    __syncthreads();
    return scratch[0];
}

// Orders floats as unsigned integers (a > b as floats iff key(a) > key(b), for non-NaN values); -0 maps to +0,
// so equal keys mean equal floats, as the Java reference compares them.
__device__ __forceinline__ unsigned order_key(float f) {
    if (f == 0.0f) {
        f = 0.0f;
    }
    const unsigned u = __float_as_uint(f);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

// Error record for bad labels, read by the host at the next synchronisation:
// {set, row, bits of the label, number of classes, op}.
__device__ __forceinline__ int checked_label(float v, int row, int classes, int op, int* error) {
    const int label = (int) v;
    if ((float) label != v || label < 0 || label >= classes) {
        if (atomicCAS(error, 0, 1) == 0) {
            error[1] = row;
            error[2] = __float_as_int(v);
            error[3] = classes;
            error[4] = op;
        }
        return 0;
    }
    return label;
}
