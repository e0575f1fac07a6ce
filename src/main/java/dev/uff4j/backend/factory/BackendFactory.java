package dev.uff4j.backend.factory;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.backend.cuda.CudaBackend;
import dev.uff4j.backend.cuda.CudaOptions;
import dev.uff4j.backend.cuda.CudaProbe;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Opens a backend by name: {@code cpu}, {@code cuda}, or {@code auto} (the GPU when the probe finds one). It lives
 * apart from {@code dev.uff4j.backend}, the seam, so that the seam knows none of its implementations.
 */
public final class BackendFactory {
    private BackendFactory() {
    }

    /**
     * @param backend {@code auto}, {@code cpu} or {@code cuda}
     * @param threads CPU backend threads
     * @param cpuGemm CPU GEMM kernel: {@code auto}, {@code vector} or {@code blocked}
     * @param cuda    how the CUDA backend computes
     */
    public record Options(String backend, int threads, String cpuGemm, CudaOptions cuda) {
        public Options {
            if (!backend.equals("auto") && !backend.equals("cpu") && !backend.equals("cuda")) {
                throw new IllegalArgumentException("unknown backend '" + backend + "' (expected auto, cpu or cuda)");
            }
        }

        /** {@code backend} with every other choice at its default. */
        public static Options of(String backend) {
            return new Options(backend, CpuBackend.defaultThreads(), "auto", CudaOptions.defaults());
        }
    }

    /**
     * Opens the backend. {@code auto} falls back to the CPU when the CUDA probe fails and passes one line with the
     * root cause to {@code notice}; {@code cuda} without a usable GPU throws.
     *
     * @throws IllegalStateException when {@code cuda} is asked for and no usable GPU is found
     */
    public static Backend open(Options options, Consumer<String> notice) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(notice, "notice");
        switch (options.backend()) {
            case "cpu":
                return new CpuBackend(options.threads(), options.cpuGemm());
            case "cuda":
                return new CudaBackend(options.cuda());
            default:
                CudaProbe.Result probe = CudaProbe.probe();
                if (probe.available()) {
                    return new CudaBackend(options.cuda());
                }
                notice.accept("no usable GPU (" + probe.reason() + "); using the cpu backend");
                return new CpuBackend(options.threads(), options.cpuGemm());
        }
    }
}
