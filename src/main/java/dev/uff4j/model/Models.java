package dev.uff4j.model;

import dev.uff4j.backend.Backend;

import java.util.Objects;

/** Builds the model a spec describes. */
public final class Models {
    private Models() {
    }

    public static Model create(Backend backend, ModelSpec spec) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        return switch (spec.kind()) {
            case BP, BP_CNN -> new EndToEndModel(backend, spec);
            case FF -> new FfModel(backend, spec);
            default -> new UffModel(backend, spec);
        };
    }
}
