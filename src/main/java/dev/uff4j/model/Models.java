package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;

import java.util.Objects;

/** Builds the model a spec describes. */
public final class Models {
    private Models() {
    }

    /**
     * One cell of a UFF model of {@code spec}, alone: the cell {@link #create} would build at {@code index}, with the
     * same initial parameters (same seed), for training a cell apart from the others (see
     * {@code dev.uff4j.distributed.CellTrainer}). Its tensors live on {@code backend}: build it on a
     * {@link BackendScope} to free them together.
     *
     * @param backend where the cell's tensors live
     * @param spec    a UFF model's specification (ae, dae, gan or cae cells)
     * @param index   the cell, from 0 to {@code spec.cells().count() - 1}
     * @return the cell
     * @throws IllegalArgumentException if the spec is not a UFF model's or has no such cell
     */
    public static Cell cell(Backend backend, ModelSpec spec, int index) {
        Objects.requireNonNull(backend, "backend");
        uff(spec);
        if (index < 0 || index >= spec.cells().count()) {
            throw new IllegalArgumentException("cell index " + index + " is not in [0, " + spec.cells().count()
                    + ")");
        }
        return UffModel.cell(backend, spec, spec.cell(index), index);
    }

    /**
     * The classifier head of a UFF model of {@code spec}, alone, initialised as {@link #create} initialises it.
     *
     * @param backend where the head's tensors live
     * @param spec    a UFF model's specification
     * @return the head, reading {@code spec.headInputSize()} features
     */
    public static ClassifierHead head(Backend backend, ModelSpec spec) {
        Objects.requireNonNull(backend, "backend");
        uff(spec);
        return UffModel.head(backend, spec);
    }

    private static void uff(ModelSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (!spec.kind().isUff()) {
            throw new IllegalArgumentException("a " + spec.kind().id() + " model has no cells to train apart: "
                    + "ae, dae, gan and cae models do");
        }
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
