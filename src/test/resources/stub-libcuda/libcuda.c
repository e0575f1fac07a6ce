/*
 * A stand-in for the CUDA driver (libcuda.so.1) on machines without one: the JNI bindings load against it, and
 * every entry point the probe calls answers as a driver with no GPU would. CudaProbeTest compiles it with gcc.
 */
#define CUDA_ERROR_NO_DEVICE 100

int cuInit(unsigned int flags) {
    (void) flags;
    return CUDA_ERROR_NO_DEVICE;
}

int cuDriverGetVersion(int *version) {
    *version = 13000;
    return 0;
}

int cuDeviceGetCount(int *count) {
    *count = 0;
    return CUDA_ERROR_NO_DEVICE;
}

int cuGetErrorName(int error, const char **name) {
    *name = error == CUDA_ERROR_NO_DEVICE ? "CUDA_ERROR_NO_DEVICE" : "CUDA_ERROR_UNKNOWN";
    return 0;
}

int cuGetErrorString(int error, const char **text) {
    *text = error == CUDA_ERROR_NO_DEVICE ? "no CUDA-capable device is detected" : "unknown error";
    return 0;
}
