package dev.uff4j.backend.cuda;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.backend.factory.BackendProvider;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The CUDA backend for {@link dev.uff4j.backend.factory.BackendFactory}. This class links to nothing of JavaCPP:
 * it first checks that the JavaCPP CUDA presets are on the class path (they are optional dependencies of uff4j), and
 * only then probes the GPU, so that a consumer without them gets a one-line reason, never a
 * {@code NoClassDefFoundError}.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** The presets' class uff4j calls first; its absence means the dependency was left out. */
    static final String PRESETS_CLASS = "org.bytedeco.cuda.global.cudart";
    /** What to add, for the one-line reason. */
    static final String PRESETS = "the dependency dev.uff4j:uff4j-cuda, type pom, which brings "
            + "org.bytedeco:cuda:13.1-9.19-1.5.13 and org.bytedeco:javacpp:1.5.13 with their linux-x86_64 jars";

    @Override
    public BackendOptions.Kind kind() {
        return BackendOptions.Kind.CUDA;
    }

    @Override
    public Availability availability() {
        if (!presetsPresent()) {
            return Availability.no("the JavaCPP CUDA presets are not on the class path (add " + PRESETS + ")");
        }
        CudaProbe.Result probe = CudaProbe.probe();
        return probe.available() ? new Availability(true, null, probe.device()) : Availability.no(probe.reason());
    }

    @Override
    public Backend open(BackendOptions options, Consumer<String> notice) {
        Availability a = availability();
        if (!a.available()) {
            throw new IllegalStateException("the cuda backend is not available: " + a.reason());
        }
        return new CudaBackend(new CudaOptions(options.cudaGemm().name().toLowerCase(Locale.ROOT), options.tf32(),
                options.debug(), options.device()));
    }

    static boolean presetsPresent() {
        try {
            Class.forName(PRESETS_CLASS, false, CudaBackendProvider.class.getClassLoader());
            Class.forName("org.bytedeco.javacpp.Loader", false, CudaBackendProvider.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
