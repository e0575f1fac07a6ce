package dev.uff4j.backend.factory;

import dev.uff4j.backend.Backend;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Opens a backend from {@link BackendOptions}: {@code cpu}, {@code cuda}, or {@code auto} (the GPU when one is
 * found). It lives apart from {@code dev.uff4j.backend}, the seam, and finds the implementations at run time
 * ({@link BackendProvider}), so that it links to none of them: without the JavaCPP CUDA presets on the class path
 * {@code auto} says so in one line and uses the CPU.
 */
public final class BackendFactory {
    private static Map<BackendOptions.Kind, BackendProvider> providers;

    private BackendFactory() {
    }

    /**
     * Opens the backend, passing any notice (no GPU found, the Vector API module missing) to the
     * {@code dev.uff4j} {@link System.Logger} at level INFO.
     *
     * @param options which backend, and how it computes
     * @return the open backend; close it when done
     * @throws IllegalStateException when {@code cuda} is asked for and no usable GPU is found
     */
    public static Backend open(BackendOptions options) {
        System.Logger log = System.getLogger("dev.uff4j");
        return open(options, line -> log.log(System.Logger.Level.INFO, line));
    }

    /**
     * Opens the backend. {@code auto} falls back to the CPU when no usable GPU is found and passes one line with the
     * root cause to {@code notice}; {@code cuda} without a usable GPU throws.
     *
     * @param options which backend, and how it computes
     * @param notice  receives each notice, one line at a time
     * @return the open backend; close it when done
     * @throws IllegalStateException when {@code cuda} is asked for and no usable GPU is found
     */
    public static Backend open(BackendOptions options, Consumer<String> notice) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(notice, "notice");
        switch (options.kind()) {
            case CPU:
                return provider(BackendOptions.Kind.CPU).open(options, notice);
            case CUDA: {
                BackendProvider.Availability a = availability(BackendOptions.Kind.CUDA);
                if (!a.available()) {
                    throw new IllegalStateException("the cuda backend is not available: " + a.reason());
                }
                return provider(BackendOptions.Kind.CUDA).open(options, notice);
            }
            default: {
                BackendProvider.Availability a = availability(BackendOptions.Kind.CUDA);
                if (a.available()) {
                    return provider(BackendOptions.Kind.CUDA).open(options, notice);
                }
                notice.accept("no usable GPU (" + a.reason() + "); using the cpu backend");
                return provider(BackendOptions.Kind.CPU).open(options, notice);
            }
        }
    }

    /**
     * Whether a kind of backend can run here, and why not. Never throws for a non-null kind; the first call loads
     * the providers, and asking about {@code cuda} probes the GPU once per JVM.
     *
     * @param kind the kind asked about; {@link BackendOptions.Kind#AUTO} is always available, with no device named
     * @return the answer
     */
    public static BackendProvider.Availability availability(BackendOptions.Kind kind) {
        Objects.requireNonNull(kind, "kind");
        if (kind == BackendOptions.Kind.AUTO) {
            return new BackendProvider.Availability(true, null, null);
        }
        BackendProvider p = providers().get(kind);
        if (p == null) {
            return BackendProvider.Availability.no("no " + BackendOptions.id(kind) + " backend is in this build");
        }
        return p.availability();
    }

    private static BackendProvider provider(BackendOptions.Kind kind) {
        BackendProvider p = providers().get(kind);
        if (p == null) {
            throw new IllegalStateException("no " + BackendOptions.id(kind) + " backend is in this build");
        }
        return p;
    }

    private static synchronized Map<BackendOptions.Kind, BackendProvider> providers() {
        if (providers == null) {
            Map<BackendOptions.Kind, BackendProvider> found = new EnumMap<>(BackendOptions.Kind.class);
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class, BackendFactory.class.getClassLoader())) {
                found.putIfAbsent(p.kind(), p);
            }
            providers = found;
        }
        return providers;
    }
}
