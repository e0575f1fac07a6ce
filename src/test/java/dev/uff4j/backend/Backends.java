package dev.uff4j.backend;

import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.backend.factory.BackendProvider;
import org.opentest4j.TestAbortedException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The backends every conformance test runs on. A backend that cannot run on this machine (no GPU) appears as a
 * case whose factory throws {@link org.opentest4j.TestAbortedException}, so the test shows as skipped with the
 * reason.
 */
public final class Backends {
    private Backends() {
    }

    /** A named way to create a backend. */
    public record Case(String name, Supplier<Backend> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("cpu-blocked-1t", () -> new CpuBackend(1, "blocked")));
        cases.add(new Case("cpu-blocked-3t", () -> new CpuBackend(3, "blocked")));
        cases.add(new Case("cpu-auto-2t", () -> new CpuBackend(2, "auto")));
        cases.addAll(cuda());
        return cases;
    }

    /** The CUDA backend with each GEMM, in debug mode so that an error names its kernel. */
    public static List<Case> cuda() {
        List<Case> cases = new ArrayList<>();
        for (BackendOptions.CudaGemm gemm : new BackendOptions.CudaGemm[] {BackendOptions.CudaGemm.CUBLAS,
            BackendOptions.CudaGemm.KERNEL}) {
            cases.add(new Case("cuda-" + gemm.name().toLowerCase(java.util.Locale.ROOT),
                    () -> openCuda(BackendOptions.cuda().cudaGemm(gemm).debug(true))));
        }
        return cases;
    }

    /**
     * A CUDA backend, or a skipped test that gives the probe's reason; with {@code -Duff4j.requireCuda=true}
     * (the GPU check sets it) a missing GPU fails the test instead.
     */
    public static Backend openCuda(BackendOptions options) {
        BackendProvider.Availability probe = BackendFactory.availability(BackendOptions.Kind.CUDA);
        if (!probe.available()) {
            String reason = "no usable GPU: " + probe.reason();
            if (Boolean.getBoolean("uff4j.requireCuda")) {
                throw new AssertionError(reason + " (uff4j.requireCuda is set)");
            }
            throw new TestAbortedException(reason);
        }
        return BackendFactory.open(options, line -> { });
    }
}
