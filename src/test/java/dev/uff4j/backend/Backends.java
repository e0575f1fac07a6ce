package dev.uff4j.backend;

import dev.uff4j.backend.cpu.CpuBackend;

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
        return cases;
    }
}
