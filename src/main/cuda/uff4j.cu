// The one translation unit nvcc compiles into uff4j.fatbin (scripts/build-kernels.sh): one file per concern.
#include "common.cuh"
#include "epilogue.cu"
#include "loss.cu"
#include "noise.cu"
#include "adamw.cu"
#include "memory.cu"
#include "gemm.cu"
#include "goodness.cu"
