package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;

import java.util.Objects;

/** Builds the model a spec describes. */
public final class Models {
    private Models() {
    }

    /**
     * Builds the model {@code spec} describes on {@code backend}, with freshly drawn weights: an end-to-end network
     * for bp and bp-cnn, a Forward-Forward network for ff, a {@link UffModel} otherwise. The model allocates through
     * a {@link BackendScope} of its own, so {@link Model#close} frees its tensors while the backend stays open; if
     * the build fails, what it had allocated is freed before the exception propagates. {@link MemoryPlan#check}
     * tells beforehand whether the model fits.
     *
     * @param backend where the model's tensors live and its ops run
     * @param spec    the model to build
     * @return the new model, ready to train
     * @throws NullPointerException     if either argument is null
     * @throws IllegalArgumentException if the spec cannot be built (e.g. a cae cell given an odd-sized image or a
     *                                  part too large for one tensor)
     */
    public static Model create(Backend backend, ModelSpec spec) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        BackendScope scope = new BackendScope(backend);
        try {
            return switch (spec.kind()) {
                case BP, BP_CNN -> new EndToEndModel(scope, spec);
                case FF -> new FfModel(scope, spec);
                default -> new UffModel(scope, spec);
            };
        } catch (RuntimeException | Error e) {
            scope.close(); // what was allocated before the failure
            throw e;
        }
    }
}
