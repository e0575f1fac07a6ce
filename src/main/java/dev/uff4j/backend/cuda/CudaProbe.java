package dev.uff4j.backend.cuda;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;

/**
 * Finds out, once per JVM, whether the CUDA backend can run here: the kernels were built into the jar, the JNI
 * bindings and the driver load, and a device of compute capability 8.0 or newer answers. It never throws: a
 * failure becomes a {@link Result} whose reason names the root cause (e.g. {@code libcuda.so.1: cannot open shared
 * object file}). Loading the bindings twice fails differently the second time, so the answer is cached.
 */
final class CudaProbe {
    /** Where the build puts the fatbin (scripts/build-kernels.sh). */
    static final String FATBIN = "/dev/uff4j/backend/cuda/uff4j.fatbin";
    private static Result cached;

    private CudaProbe() {
    }

    /**
     * @param available whether {@link CudaBackend} can be opened
     * @param reason    why not (null when available)
     * @param device    the GPU's name and compute capability (null when not available)
     */
    public record Result(boolean available, String reason, String device) {
        static Result no(String reason) {
            return new Result(false, reason, null);
        }
    }

    /** The cached answer; the first call does the work (tens of milliseconds, more when a GPU is found). */
    public static synchronized Result probe() {
        if (cached == null) {
            cached = run();
        }
        return cached;
    }

    private static Result run() {
        try {
            if (CudaProbe.class.getResource(FATBIN) == null) {
                return Result.no("the CUDA kernels were not built into this jar (nvcc was not on the PATH at build"
                        + " time)");
            }
            try {
                Loader.load(cudart.class);
            } catch (Throwable t) {
                return Result.no("cannot load the CUDA driver bindings: " + rootCause(t));
            }
            int status = cudart.cuInit(0);
            if (status != 0) {
                return Result.no("cuInit failed: " + Driver.errorName(status));
            }
            int[] count = new int[1];
            status = cudart.cuDeviceGetCount(count);
            if (status != 0 || count[0] < 1) {
                return Result.no(status != 0 ? "cuDeviceGetCount failed: " + Driver.errorName(status)
                        : "the driver found no CUDA device");
            }
            return describe(0);
        } catch (Throwable t) {
            return Result.no("the CUDA probe failed: " + rootCause(t));
        }
    }

    private static Result describe(int device) {
        int[] major = new int[1];
        int[] minor = new int[1];
        Driver.check(cudart.cuDeviceGetAttribute(major, cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device),
                "cuDeviceGetAttribute");
        Driver.check(cudart.cuDeviceGetAttribute(minor, cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device),
                "cuDeviceGetAttribute");
        byte[] name = new byte[256];
        Driver.check(cudart.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        String device0 = new String(name, 0, end, java.nio.charset.StandardCharsets.UTF_8) + " (sm_" + major[0]
                + minor[0] + ")";
        if (major[0] < 8) {
            return Result.no(device0 + " is older than compute capability 8.0, the oldest the kernels are built for");
        }
        return new Result(true, null, device0);
    }

    /** The deepest cause's message: for a failed library load, the dynamic linker's own words. */
    static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null) {
            return root.getClass().getSimpleName();
        }
        // "/path/libjnicudart.so: libcuda.so.1: cannot open ..." -> what the dynamic linker could not find
        int so = message.indexOf(".so: ");
        return message.startsWith("/") && so > 0 ? message.substring(so + 5) : message;
    }
}
