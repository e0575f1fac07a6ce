// Shared device helpers of the uff4j kernels. Every kernel is extern "C" so Java finds it by its plain name
// (cuModuleGetFunction). Its parameters are declared once more in Java (dev.uff4j.backend.cuda.Kernel), which is
// what the launchers fill; KernelDeclarationsTest parses these files and holds the two to each other, as it does
// the codes below.
#pragma once
#include <cstdint>

#define UFF_KERNEL extern "C" __global__

// Activation codes: dev.uff4j.backend.Activation.code().
enum { ACT_IDENTITY = 0, ACT_RELU = 1, ACT_SIGMOID = 2, ACT_TANH = 3 };

// Which op wrote the error record: dev.uff4j.backend.cuda.KernelError.code().
enum {
    OP_SOFTMAX_CROSS_ENTROPY = 1,
    OP_COUNT_CORRECT = 2,
    OP_OVERLAY_LABELS = 3,
    OP_WRONG_LABELS = 4,
    OP_MAX_POOL_BACKWARD = 5,
    OP_SAMPLE_WRONG_LABELS = 6
};

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

// The error record, read by the host at its next synchronisation: {set, row, bits of the value, bound, op}. The
// first error found is kept.
__device__ __forceinline__ void record_error(int* error, int row, float value, int bound, int op) {
    if (atomicCAS(error, 0, 1) == 0) {
        error[1] = row;
        error[2] = __float_as_int(value);
        error[3] = bound;
        error[4] = op;
    }
}

// The class index a label holds, or 0 after recording it as an error when it is not one in [0, classes).
__device__ __forceinline__ int checked_label(float v, int row, int classes, int op, int* error) {
    const int label = (int) v;
    if ((float) label != v || label < 0 || label >= classes) {
        record_error(error, row, v, classes, op);
        return 0;
    }
    return label;
}
