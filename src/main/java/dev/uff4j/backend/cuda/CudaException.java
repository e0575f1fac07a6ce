package dev.uff4j.backend.cuda;

/** A CUDA call failed: the message names the call (and the kernel, for a launch) and the driver's error name. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaException(String message) {
        super(message);
    }
}
