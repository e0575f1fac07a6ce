// The one translation unit nvcc compiles into uff4j.fatbin (scripts/build-kernels.sh). Each file is named after the
// CPU kernel class it mirrors (dense_kernels.cu and DenseKernels in dev.uff4j.backend.cpu, and so on).
#include "common.cuh"
#include "dense_kernels.cu"
#include "loss_kernels.cu"
#include "noise_kernels.cu"
#include "optimizer_kernels.cu"
#include "memory_kernels.cu"
#include "gemm.cu"
#include "goodness_kernels.cu"
#include "conv_kernels.cu"
