package dev.uff4j.backend.factory;

import dev.uff4j.backend.Backend;

import java.util.function.Consumer;

/**
 * A kind of backend that {@link BackendFactory} finds at run time with {@link java.util.ServiceLoader}: the CPU
 * backend always, the CUDA backend when its classes are in the jar. The factory knows no implementation, so a
 * consumer without the JavaCPP CUDA presets on its class path still loads it, and trains on the CPU. Implementations
 * are registered in {@code META-INF/services/dev.uff4j.backend.factory.BackendProvider}.
 */
public interface BackendProvider {
    /**
     * The kind this provider opens.
     *
     * @return {@link BackendOptions.Kind#CPU} or {@link BackendOptions.Kind#CUDA}; the factory uses the first
     *         provider found for each kind
     */
    BackendOptions.Kind kind();

    /**
     * Whether it can run on this machine, and why not: one line that names the root cause. Never throws; the answer
     * may be cached.
     *
     * @return the answer
     */
    Availability availability();

    /**
     * Opens a backend; {@code notice} receives one line about anything worth knowing (e.g. a slower kernel chosen
     * for want of a JVM module).
     *
     * @param options which backend and how it computes; the provider reads the fields of its own kind
     * @param notice  receives each notice, one line at a time
     * @return the open backend; the caller closes it
     * @throws IllegalStateException when it cannot run here (the message gives the reason)
     */
    Backend open(BackendOptions options, Consumer<String> notice);

    /**
     * Whether a backend can run here, as {@link #availability} answers it.
     *
     * @param available whether {@link #open} can succeed
     * @param reason    why not (null when available)
     * @param device    what computes, e.g. the GPU's name (null when not available)
     */
    record Availability(boolean available, String reason, String device) {
        /**
         * A backend that cannot run here.
         *
         * @param reason one line that names the root cause
         * @return an answer with {@code available} false and no device
         */
        public static Availability no(String reason) {
            return new Availability(false, reason, null);
        }
    }
}
