package dev.uff4j.model;

import dev.uff4j.backend.Backend;

/** Builds the model a spec describes. */
public final class Models {
    private Models() {
    }

    public static Model create(Backend backend, ModelSpec spec) {
        return switch (spec.kind()) {
            case BP -> new BpModel(backend, spec);
            case FF -> new FfModel(backend, spec);
            case BP_CNN -> new BpCnnModel(backend, spec);
            default -> new UffModel(backend, spec);
        };
    }
}
