package dev.uff4j.model;

import java.util.Arrays;
import java.util.List;

/** Model kinds grouped for tests: the dense ones run on any input; the convolutional ones need images. */
public final class TestKinds {
    /** Every kind whose layers are dense: ae, dae, gan, bp, ff. */
    public static final List<ModelKind> DENSE = Arrays.stream(ModelKind.values())
            .filter(k -> k != ModelKind.CAE && k != ModelKind.BP_CNN).toList();

    private TestKinds() {
    }
}
