package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.backend.factory.BackendProvider;

import java.util.Locale;
import java.util.function.Consumer;

/** The CPU backend for {@link dev.uff4j.backend.factory.BackendFactory}: available everywhere. */
public final class CpuBackendProvider implements BackendProvider {
    @Override
    public BackendOptions.Kind kind() {
        return BackendOptions.Kind.CPU;
    }

    @Override
    public Availability availability() {
        return new Availability(true, null, "pure Java");
    }

    /** With the automatic GEMM and no Vector API module, the notice says how to get the faster kernel. */
    @Override
    public Backend open(BackendOptions options, Consumer<String> notice) {
        if (options.cpuGemm() == BackendOptions.CpuGemm.AUTO && !Gemms.vectorApiAvailable()) {
            notice.accept("the Vector API module is not loaded, so the cpu backend uses its slower pure-Java GEMM; "
                    + "add --add-modules " + Gemms.VECTOR_MODULE + " to the java command for the faster one");
        }
        return new CpuBackend(options.threadCount(), options.cpuGemm().name().toLowerCase(Locale.ROOT));
    }
}
