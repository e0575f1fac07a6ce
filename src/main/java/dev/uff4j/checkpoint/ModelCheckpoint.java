package dev.uff4j.checkpoint;

import dev.uff4j.backend.Backend;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Saves a model's parameters and specification into a checkpoint file and rebuilds the model from one. Tensors
 * are named {@code group/slot}, e.g. {@code cell1/encoder.weight}, {@code head/output.bias},
 * {@code encoder/layer2.weight}; the configuration holds {@link ModelSpec#toConfig} plus descriptive extras
 * (dataset, version). Optimizer state is not saved: a checkpoint is for evaluation and embedding.
 */
public final class ModelCheckpoint {
    private ModelCheckpoint() {
    }

    /**
     * A model rebuilt from a checkpoint, with the file's whole configuration.
     *
     * @param model            the rebuilt model with its parameters uploaded; the caller owns it and closes it
     * @param config           every configuration entry of the file (the model's and the extras), unmodifiable, in
     *                         file order
     * @param nonFiniteValues  how many of its parameters are NaN or infinite: a model saved from a diverged run
     * @param nonFiniteTensors the tensors that hold them, in file order
     */
    public record Loaded(Model model, Map<String, String> config, long nonFiniteValues, List<String> nonFiniteTensors) {
        /**
         * Copies {@code nonFiniteTensors} into an unmodifiable list.
         *
         * @param model            the rebuilt model
         * @param config           the file's configuration
         * @param nonFiniteValues  how many parameters are NaN or infinite
         * @param nonFiniteTensors the tensors that hold them
         * @throws NullPointerException when {@code nonFiniteTensors} or one of its names is null
         */
        public Loaded {
            nonFiniteTensors = List.copyOf(nonFiniteTensors);
        }
    }

    /**
     * Writes {@code model} to {@code file} atomically: the file is either the whole checkpoint or untouched.
     *
     * @param file  where to write, conventionally {@code *.uff}
     * @param model the model whose parameters and specification are saved
     */
    public static void save(Path file, Model model) {
        save(file, model, Map.of());
    }

    /**
     * Writes {@code model} to {@code file} atomically, with descriptive entries added to its configuration
     * (parameters are copied back from the backend once).
     *
     * @param file   where to write
     * @param model  the model
     * @param extras more configuration, e.g. {@code dataset=mnist}; keys must not clash with the model's own
     * @throws IllegalArgumentException when an extra key clashes with one of the model's configuration keys
     * @throws CheckpointException      when the file cannot be written (see {@link CheckpointFile#write})
     */
    public static void save(Path file, Model model, Map<String, String> extras) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(extras, "extras");
        Map<String, String> config = new LinkedHashMap<>(model.spec().toConfig());
        extras.forEach((k, v) -> {
            if (config.containsKey(k)) {
                throw new IllegalArgumentException("extra configuration key '" + k + "' clashes with the model's");
            }
            config.put(k, v);
        });
        List<NamedTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, ParameterSet> group : model.parameterGroups().entrySet()) {
            ParameterSet set = group.getValue();
            for (ParameterSet.Slot slot : set.slots()) {
                tensors.add(new NamedTensor(group.getKey() + "/" + slot.name(), slot.rows(), slot.cols(),
                        set.read(slot)));
            }
        }
        CheckpointFile.write(file, config, tensors);
    }

    /**
     * Reads {@code file}, rebuilds its model on {@code backend} and uploads the parameters. A configuration the
     * model cannot be built from, a missing tensor or one of the wrong shape is a {@link CheckpointException}.
     *
     * @param file    the checkpoint to read
     * @param backend where the model's tensors are allocated
     * @return the model and the file's configuration; NaN or infinite parameters are counted there, not rejected
     * @throws CheckpointException when the file cannot be read (see {@link CheckpointFile#read}) or does not fit a
     *                             model: unusable configuration, a missing, extra or wrongly shaped tensor
     */
    public static Loaded load(Path file, Backend backend) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backend, "backend");
        return load(file, CheckpointFile.read(file), backend);
    }

    /**
     * The specification of the model in a checkpoint read from {@code file} (named in errors).
     *
     * @param file       the file the checkpoint was read from; used only in the error message
     * @param checkpoint the checkpoint's content
     * @return the specification rebuilt from the checkpoint's configuration
     * @throws CheckpointException when the configuration lacks a key or holds a malformed value
     */
    public static ModelSpec spec(Path file, Checkpoint checkpoint) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(checkpoint, "checkpoint");
        try {
            return ModelSpec.fromConfig(checkpoint.config());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": unusable model configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #load(Path, Backend)} for a checkpoint already read from {@code file} (named in errors). On a
     * failure after the model was built, the model is closed before the exception propagates.
     *
     * @param file       the file the checkpoint was read from; used only in error messages
     * @param checkpoint the checkpoint's content
     * @param backend    where the model's tensors are allocated
     * @return the model and the checkpoint's configuration, as for {@link #load(Path, Backend)}
     * @throws CheckpointException when the checkpoint does not fit a model: unusable configuration, a missing, extra
     *                             or wrongly shaped tensor
     */
    public static Loaded load(Path file, Checkpoint checkpoint, Backend backend) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(backend, "backend");
        ModelSpec spec = spec(file, checkpoint);
        Model model;
        try {
            model = Models.create(backend, spec);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": unusable model configuration: " + e.getMessage(), e);
        }
        try {
            return fill(file, checkpoint, spec, model);
        } catch (RuntimeException | Error e) {
            model.close(); // its memory goes back now, not when the backend closes
            throw e;
        }
    }

    private static Loaded fill(Path file, Checkpoint checkpoint, ModelSpec spec, Model model) {
        int expected = 0;
        long nonFinite = 0;
        List<String> nonFiniteTensors = new ArrayList<>();
        for (Map.Entry<String, ParameterSet> group : model.parameterGroups().entrySet()) {
            ParameterSet set = group.getValue();
            for (ParameterSet.Slot slot : set.slots()) {
                String name = group.getKey() + "/" + slot.name();
                if (!checkpoint.hasTensor(name)) {
                    throw new CheckpointException(file + ": missing tensor '" + name + "' for a " + spec.kind().id()
                            + " model");
                }
                NamedTensor t = checkpoint.tensor(name);
                if (t.rows() != slot.rows() || t.cols() != slot.cols()) {
                    throw new CheckpointException(file + ": tensor '" + name + "' is " + t.rows() + "x" + t.cols()
                            + ", the model needs " + slot.rows() + "x" + slot.cols());
                }
                set.write(slot, t.data());
                expected++;
                long bad = countNonFinite(t.data());
                if (bad > 0) {
                    nonFinite += bad;
                    nonFiniteTensors.add(name);
                }
            }
        }
        if (checkpoint.tensors().size() != expected) {
            throw new CheckpointException(file + ": holds " + checkpoint.tensors().size() + " tensors, a "
                    + spec.kind().id() + " model of this configuration has " + expected);
        }
        return new Loaded(model, checkpoint.config(), nonFinite, nonFiniteTensors);
    }

    private static long countNonFinite(float[] values) {
        long n = 0;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }
}
