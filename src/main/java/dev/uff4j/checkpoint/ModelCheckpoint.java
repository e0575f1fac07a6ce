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
        List<NamedTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, ParameterSet> group : model.parameterGroups().entrySet()) {
            tensors.addAll(tensors(group.getKey(), group.getValue(), group.getValue().readAll()));
        }
        write(file, model, extras, tensors);
    }

    /**
     * Writes one part of {@code model}, with its optimizer state, so that it can be trained or used apart: a cell
     * ({@code cell1}, ...; a GAN cell's generator goes with it) or the head ({@code head}). The file records the
     * whole model's specification, which {@link #loadPart} checks the part against.
     *
     * @param file  where to write
     * @param model the model the part belongs to
     * @param part  the part's name, one of the model's parameter groups (without a {@code -generator} suffix)
     * @throws IllegalArgumentException if the model has no such part
     */
    public static void savePart(Path file, Model model, String part) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(part, "part");
        Map<String, ParameterSet> groups = partGroups(model, part);
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("the model has no part '" + part + "'; its parts are "
                    + model.parameterGroups().keySet());
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put(PART, part);
        List<NamedTensor> tensors = new ArrayList<>();
        groups.forEach((name, set) -> tensors.addAll(TrainingCheckpoint.stateTensors(name, set, config)));
        write(file, model, config, tensors);
    }

    /**
     * Reads a part written by {@link #savePart} into {@code model}, replacing that part's parameters, moments and
     * step counts; the rest of the model is untouched.
     *
     * @param file  the part's file
     * @param model a model with the same part (same kind and shapes)
     * @return the part's name, e.g. {@code cell2}
     * @throws CheckpointException if the file is not a part, or its part does not fit the model
     */
    public static String loadPart(Path file, Model model) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(model, "model");
        Checkpoint c = CheckpointFile.read(file);
        String part = c.config().get(PART);
        if (part == null) {
            throw new CheckpointException(file + ": holds a whole model, not a part; load it with "
                    + "ModelCheckpoint.load");
        }
        Map<String, ParameterSet> groups = partGroups(model, part);
        if (groups.isEmpty()) {
            throw new CheckpointException(file + ": holds part '" + part + "', which this model does not have (its "
                    + "parts are " + model.parameterGroups().keySet() + ")");
        }
        String kind = c.config().get("model");
        if (kind != null && !kind.equals(model.spec().kind().id())) {
            throw new CheckpointException(file + ": holds part '" + part + "' of a " + kind + " model, not of a "
                    + model.spec().kind().id() + " model");
        }
        // every tensor is checked before anything is written: a bad file leaves the model as it was
        int expected = 0;
        for (Map.Entry<String, ParameterSet> group : groups.entrySet()) {
            String name = group.getKey();
            ParameterSet set = group.getValue();
            for (ParameterSet.Slot slot : set.slots()) {
                fitting(file, c, name + "/" + slot.name(), slot.rows(), slot.cols());
            }
            fitting(file, c, name + TrainingCheckpoint.M, 1, set.size());
            fitting(file, c, name + TrainingCheckpoint.V, 1, set.size());
            TrainingCheckpoint.steps(file, c, name);
            expected += set.slots().size() + 2;
        }
        if (c.tensors().size() != expected) {
            throw new CheckpointException(file + ": holds " + c.tensors().size() + " tensors, part '" + part
                    + "' of this model has " + expected);
        }
        groups.forEach((name, set) -> {
            for (ParameterSet.Slot slot : set.slots()) {
                set.write(slot, c.tensor(name + "/" + slot.name()).data());
            }
            TrainingCheckpoint.restoreGroup(file, c, name, set);
        });
        return part;
    }

    /** The configuration key that marks a part's file. */
    static final String PART = "part";

    /** The parameter groups of a part: the group of that name and its suffixed companions ({@code -generator}). */
    private static Map<String, ParameterSet> partGroups(Model model, String part) {
        Map<String, ParameterSet> groups = new LinkedHashMap<>();
        model.parameterGroups().forEach((name, set) -> {
            if (name.equals(part) || name.startsWith(part + "-")) {
                groups.put(name, set);
            }
        });
        return groups;
    }

    private static NamedTensor fitting(Path file, Checkpoint c, String name, int rows, int cols) {
        if (!c.hasTensor(name)) {
            throw new CheckpointException(file + ": missing tensor '" + name + "'");
        }
        NamedTensor t = c.tensor(name);
        if (t.rows() != rows || t.cols() != cols) {
            throw new CheckpointException(file + ": tensor '" + name + "' is " + t.rows() + "x" + t.cols()
                    + ", the model needs " + rows + "x" + cols);
        }
        return t;
    }

    /** A group's parameters as named tensors, one per slot, cut from {@code params} (the group's layout). */
    static List<NamedTensor> tensors(String group, ParameterSet set, float[] params) {
        List<NamedTensor> list = new ArrayList<>();
        int offset = 0;
        for (ParameterSet.Slot slot : set.slots()) {
            list.add(new NamedTensor(group + "/" + slot.name(), slot.rows(), slot.cols(),
                    java.util.Arrays.copyOfRange(params, offset, offset + slot.size())));
            offset += slot.size();
        }
        return list;
    }

    /** The model's configuration plus {@code extras} (which must not clash with it), and the tensors. */
    static void write(Path file, Model model, Map<String, String> extras, List<NamedTensor> tensors) {
        Map<String, String> config = new LinkedHashMap<>(model.spec().toConfig());
        extras.forEach((k, v) -> {
            if (config.containsKey(k)) {
                throw new IllegalArgumentException("extra configuration key '" + k + "' clashes with the model's");
            }
            config.put(k, v);
        });
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
        if (checkpoint.config().get(PART) != null) {
            throw new CheckpointException(file + ": holds only part '" + checkpoint.config().get(PART) + "' of a model; "
                    + "load it into a whole model with ModelCheckpoint.loadPart");
        }
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
        // a resumable checkpoint's optimizer state is not the model's: evaluation ignores it
        int state = (int) checkpoint.tensors().stream().filter(t -> TrainingCheckpoint.isState(t.name())).count();
        if (checkpoint.tensors().size() - state != expected) {
            throw new CheckpointException(file + ": holds " + (checkpoint.tensors().size() - state) + " tensors, a "
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
