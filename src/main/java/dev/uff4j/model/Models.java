package dev.uff4j.model;

import dev.uff4j.backend.Backend;

/** Builds the model a spec describes. */
public final class Models {
    private Models() {
    }

    public static Model create(Backend backend, ModelSpec spec) {
        return spec.kind() == ModelKind.BP ? new BpModel(backend, spec) : new UffModel(backend, spec);
    }
}
