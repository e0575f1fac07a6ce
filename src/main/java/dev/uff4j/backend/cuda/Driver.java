package dev.uff4j.backend.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/** Status checks for driver and cuBLAS calls: every call's result goes through one of these. */
final class Driver {
    private Driver() {
    }

    /** Throws a {@link CudaException} naming {@code call} unless {@code status} is CUDA_SUCCESS. */
    static void check(int status, String call) {
        if (status != 0) {
            throw new CudaException(call + " failed: " + errorName(status));
        }
    }

    static void checkBlas(int status, String call) {
        if (status != cublas.CUBLAS_STATUS_SUCCESS) {
            String text;
            try {
                text = cublas.cublasGetStatusString(status).getString();
            } catch (RuntimeException | LinkageError e) {
                text = "cuBLAS status " + status;
            }
            throw new CudaException(call + " failed: " + text);
        }
    }

    /** The driver's name and description of an error code, e.g. {@code CUDA_ERROR_NO_DEVICE (no CUDA-capable ...)}. */
    static String errorName(int status) {
        try {
            BytePointer name = new BytePointer((Pointer) null);
            BytePointer text = new BytePointer((Pointer) null);
            if (cudart.cuGetErrorName(status, name) == 0 && !name.isNull()) {
                boolean described = cudart.cuGetErrorString(status, text) == 0 && !text.isNull();
                return name.getString() + (described ? " (" + text.getString() + ")" : "");
            }
        } catch (RuntimeException | LinkageError e) {
            // the bare code below
        }
        return "CUDA error " + status;
    }
}
