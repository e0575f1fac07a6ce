package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;

/**
 * What a head reads from a stack of layers (UFF cells or BP layers): the last layer's output, or every layer's output
 * side by side in one buffer. Layers hand their outputs over one by one with {@link #collect}.
 */
final class HeadFeatures {
    private final Backend backend;
    private final int[] offsets;
    private final Tensor concat;

    HeadFeatures(Backend backend, ModelSpec spec) {
        this.backend = backend;
        this.offsets = new int[spec.cells().count()];
        for (int i = 1; i < offsets.length; i++) {
            offsets[i] = offsets[i - 1] + spec.latentSize(i - 1);
        }
        this.concat = spec.head().input() == HeadInput.ALL && spec.cells().count() > 1
                ? backend.zeros(spec.optimization().batch(), spec.headInputSize()) : null;
    }

    /** Records layer {@code i}'s output (copied into the concatenation when the head reads all layers). */
    Tensor collect(int i, Tensor output) {
        if (concat != null) {
            backend.copyColumns(output, concat.firstRows(output.rows()), offsets[i]);
        }
        return output;
    }

    /** Where layer {@code i}'s output starts in the head's input (0 unless the head reads all layers). */
    int offset(int i) {
        return concat == null ? 0 : offsets[i];
    }

    /** The head's input, given the last layer's output. */
    Tensor of(Tensor last) {
        return concat == null ? last : concat.firstRows(last.rows());
    }

    /** Whether the head reads every layer (so each layer receives a slice of the head's input gradient). */
    boolean concatenated() {
        return concat != null;
    }
}
