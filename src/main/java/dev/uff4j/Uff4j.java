package dev.uff4j;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.checkpoint.ModelCheckpoint;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The entry point for using a trained model: {@link #load(Path)} turns a checkpoint (written by
 * {@code bin/uff4j train --save} or {@link ModelCheckpoint#save}) into a {@link Predictor}.
 *
 * <pre>{@code
 * try (Predictor predictor = Uff4j.load(Path.of("mnist-dae.uff"))) {
 *     int[] classes = predictor.predict(images);
 * }
 * }</pre>
 *
 * To train, see {@code dev.uff4j.model.Models} (build a model from a {@code ModelSpec}) and
 * {@code dev.uff4j.train.Trainer}; the README's "Java API" section walks through both.
 */
public final class Uff4j {
    private Uff4j() {
    }

    /**
     * Loads a checkpoint onto the CPU backend. Nothing CUDA is touched, whatever is on the class path.
     *
     * @param checkpoint the checkpoint file
     * @return a predictor that owns the model and its backend; close it when done
     * @throws dev.uff4j.checkpoint.CheckpointException if the file is missing, damaged or not a uff4j checkpoint
     */
    public static Predictor load(Path checkpoint) {
        return load(checkpoint, BackendOptions.cpu());
    }

    /**
     * Loads a checkpoint onto the backend {@code options} choose ({@link BackendOptions#auto()} takes the GPU when
     * the CUDA presets are on the class path and a GPU is found).
     *
     * @param checkpoint the checkpoint file
     * @param options    which backend, and how it computes
     * @return a predictor that owns the model and its backend; close it when done
     * @throws dev.uff4j.checkpoint.CheckpointException if the file is missing, damaged or not a uff4j checkpoint
     * @throws IllegalStateException                     if {@code cuda} is asked for and no usable GPU is found
     */
    public static Predictor load(Path checkpoint, BackendOptions options) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(options, "options");
        Backend backend = BackendFactory.open(options);
        try {
            ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(checkpoint, backend);
            if (loaded.nonFiniteValues() > 0) {
                System.getLogger("dev.uff4j").log(System.Logger.Level.WARNING, checkpoint + ": "
                        + loaded.nonFiniteValues() + " parameters are NaN or infinite (in "
                        + loaded.nonFiniteTensors() + "): the model was saved from a diverged run and its "
                        + "predictions mean nothing");
            }
            return Predictor.owning(backend, loaded.model());
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
    }

    /**
     * The library's version, from the jar's manifest.
     *
     * @return e.g. {@code 0.1.0}, or {@code dev} when run from classes outside a jar
     */
    public static String version() {
        String v = Uff4j.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
