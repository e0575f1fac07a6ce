package dev.uff4j.bench;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.backend.factory.BackendProvider;

/**
 * Opens the backend a benchmark's {@code backend} parameter names, for its {@code @Setup}:
 * <ul>
 *   <li>{@code cpu}: the pure-Java backend with {@code threads} workers and the default GEMM kernel;</li>
 *   <li>{@code cuda}: the GPU backend with its defaults (cuBLAS in float32 when it loads, else uff4j's own GEMM
 *       kernels; device 0); {@code threads} is ignored;</li>
 *   <li>{@code cuda-kernel}: the GPU backend with uff4j's own GEMM kernels instead of cuBLAS;</li>
 *   <li>{@code cuda-tf32}: the GPU backend with cuBLAS allowed to use TF32 tensor cores.</li>
 * </ul>
 * When a {@code cuda*} backend is asked for and no usable GPU is found, the reason goes to stderr
 * on one line and {@code @Setup} throws it: JMH reports that benchmark as failed (with the same reason in the
 * exception) and goes on with the next one, so {@code -p backend=cpu,cuda} still measures the CPU on a machine
 * without a GPU. Each trial prints the backend's description on stdout (threads, GEMM kernel, GPU name).
 */
final class BenchBackends {
    private BenchBackends() {
    }

    static Backend open(String backend, int threads) {
        BackendOptions options = switch (backend) {
            case "cpu" -> BackendOptions.cpu();
            case "cuda" -> BackendOptions.cuda();
            case "cuda-kernel" -> BackendOptions.cuda().cudaGemm(BackendOptions.CudaGemm.KERNEL);
            case "cuda-tf32" -> BackendOptions.cuda().tf32(true);
            default -> throw new IllegalArgumentException("unknown backend parameter '" + backend
                    + "' (expected cpu, cuda, cuda-kernel or cuda-tf32)");
        };
        if (options.kind() == BackendOptions.Kind.CUDA) {
            BackendProvider.Availability cuda = BackendFactory.availability(BackendOptions.Kind.CUDA);
            if (!cuda.available()) {
                String message = "backend=" + backend + " is not available on this machine: " + cuda.reason()
                        + " (this benchmark fails in @Setup; JMH goes on with the next)";
                System.err.println("uff4j-bench: " + message);
                throw new IllegalStateException(message);
            }
        }
        Backend b = BackendFactory.open(options.threads(threads),
                notice -> System.err.println("uff4j-bench: " + notice));
        System.out.println("uff4j-bench: backend=" + backend + ": " + b.description());
        return b;
    }
}
