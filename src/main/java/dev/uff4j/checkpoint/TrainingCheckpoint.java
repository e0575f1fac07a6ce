package dev.uff4j.checkpoint;

import dev.uff4j.backend.Backend;
import dev.uff4j.model.Model;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.train.EpochStats;
import dev.uff4j.train.TrainingContext;
import dev.uff4j.train.TrainingListener;
import dev.uff4j.train.TrainingPosition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Resumable checkpoints: a model's parameters as {@link ModelCheckpoint} writes them, plus what continuing its
 * training needs: every parameter group's AdamW moments and step count, and the run's {@link TrainingPosition}
 * (planned epochs, the stage and epoch reached, the finished epochs' stats). A run resumed from one
 * ({@link dev.uff4j.train.Trainer#resume}) ends as if it had never stopped: on the CPU, bit for bit.
 *
 * <p>The file is an ordinary checkpoint (same format, {@code docs/checkpoint-format.md}): the moments are the tensors
 * {@code <group>/adamw.m} and {@code <group>/adamw.v}, the step counts and the position are configuration entries
 * under {@code state.} and {@code run.}. {@link ModelCheckpoint#load} reads it for evaluation like any other and
 * ignores the training state; checkpoints without it load for evaluation but cannot be resumed.
 */
public final class TrainingCheckpoint {
    /** Suffix of a group's first-moment tensor. */
    static final String M = "/adamw.m";
    /** Suffix of a group's second-moment tensor. */
    static final String V = "/adamw.v";
    private static final String STEPS = "state.steps.";
    private static final String RUN = "run.";
    private static final String HISTORY = "run.history.";

    private TrainingCheckpoint() {
    }

    /**
     * A model rebuilt from a resumable checkpoint, its optimizer state restored, and where its run stood.
     *
     * @param model    the model, ready to train on
     * @param position the run's position: pass it to {@link dev.uff4j.train.Trainer#resume}
     * @param config   the file's whole configuration (the model's, the run's and any extras)
     */
    public record Resumable(Model model, TrainingPosition position, Map<String, String> config) {
    }

    /**
     * Writes {@code model}, its optimizer state and {@code position} to {@code file}, atomically.
     *
     * @param file     where to write
     * @param model    the model being trained
     * @param position where its run stands (from {@link TrainingContext#position()})
     * @param extras   more configuration, e.g. {@code dataset=mnist}; keys must not clash with the model's or
     *                 start with {@code run.} or {@code state.}
     */
    public static void save(Path file, Model model, TrainingPosition position, Map<String, String> extras) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(extras, "extras");
        Map<String, String> config = new LinkedHashMap<>(extras);
        for (String key : extras.keySet()) {
            if (key.startsWith(RUN) || key.startsWith("state.")) {
                throw new IllegalArgumentException("extra configuration key '" + key + "' is reserved");
            }
        }
        config.putAll(encode(position));
        saveState(file, model, config);
    }

    /**
     * Writes {@code model} with its optimizer state (every group's moments and step count) and {@code extras}, but
     * no run position: for training that is not a {@link dev.uff4j.train.Trainer} run (federated rounds, say), whose
     * own progress goes into {@code extras}. {@link #loadState} reads it back.
     *
     * @param file   where to write
     * @param model  the model
     * @param extras more configuration; keys must not clash with the model's
     */
    public static void saveState(Path file, Model model, Map<String, String> extras) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(model, "model");
        Map<String, String> config = new LinkedHashMap<>(extras);
        List<NamedTensor> tensors = new ArrayList<>();
        model.parameterGroups().forEach((name, set) -> tensors.addAll(stateTensors(name, set, config)));
        ModelCheckpoint.write(file, model, config, tensors);
    }

    /**
     * A group's parameters and moments as named tensors, read back once, with its step count put in {@code config}.
     */
    static List<NamedTensor> stateTensors(String name, ParameterSet set, Map<String, String> config) {
        ParameterSet.State state = set.state();
        config.put(STEPS + name, Integer.toString(state.steps()));
        List<NamedTensor> tensors = new ArrayList<>(ModelCheckpoint.tensors(name, set, state.params()));
        tensors.add(new NamedTensor(name + M, 1, state.m().length, state.m()));
        tensors.add(new NamedTensor(name + V, 1, state.v().length, state.v()));
        return tensors;
    }

    /** Restores a group's moments and step count from the checkpoint; its parameters must be loaded already. */
    static void restoreGroup(Path file, Checkpoint checkpoint, String name, ParameterSet set) {
        if (!checkpoint.hasTensor(name + M)) {
            throw new CheckpointException(file + ": holds no optimizer state (no tensor '" + name + M + "'); it "
                    + "was saved for evaluation only");
        }
        float[] m = moment(file, checkpoint, name + M, set.size());
        float[] v = moment(file, checkpoint, name + V, set.size());
        int steps = steps(file, checkpoint, name);
        set.restore(new ParameterSet.State(steps, set.readAll(), m, v));
    }

    /** A group's step count from the checkpoint's configuration. */
    static int steps(Path file, Checkpoint checkpoint, String name) {
        return intValue(file, checkpoint, STEPS + name);
    }

    /**
     * Reads a checkpoint written with optimizer state ({@link #save} or {@link #saveState}): its model, with
     * parameters, moments and step counts restored, and its configuration.
     *
     * @param file    the checkpoint
     * @param backend where the model's tensors are allocated
     * @return the model and the file's configuration
     * @throws CheckpointException if the file is not a checkpoint, does not fit its model or has no optimizer state
     */
    public static ModelCheckpoint.Loaded loadState(Path file, Backend backend) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backend, "backend");
        Checkpoint checkpoint = CheckpointFile.read(file);
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(file, checkpoint, backend);
        try {
            restoreState(file, checkpoint, loaded.model());
            return loaded;
        } catch (RuntimeException | Error e) {
            loaded.model().close();
            throw e;
        }
    }

    private static void restoreState(Path file, Checkpoint checkpoint, Model model) {
        model.parameterGroups().forEach((name, set) -> restoreGroup(file, checkpoint, name, set));
    }

    /**
     * A listener that saves a resumable checkpoint to {@code file} after every {@code every}-th epoch of the run
     * (counted over all stages) and after its last epoch, rewriting the file each time (atomically: a crash while
     * writing leaves the previous one).
     *
     * @param file   where to write
     * @param every  epochs between saves, at least 1
     * @param extras more configuration for every save
     * @return the listener
     */
    public static TrainingListener every(Path file, int every, Map<String, String> extras) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(extras, "extras");
        if (every < 1) {
            throw new IllegalArgumentException("a checkpoint every " + every + " epochs: expected at least 1");
        }
        Map<String, String> copy = Map.copyOf(extras);
        return new TrainingListener() {
            @Override
            public void epochEnded(EpochStats stats, TrainingContext context) {
                TrainingPosition p = context.position();
                if (p.epochsFinished() % every == 0 || isLast(p, context)) {
                    save(file, context.model(), p, copy);
                }
            }
        };
    }

    /** Whether {@code p} is after the last epoch of its run's last stage. */
    private static boolean isLast(TrainingPosition p, TrainingContext context) {
        int stages = switch (p.phase()) {
            case "all" -> context.model().stages();
            case "cells" -> Math.max(1, context.model().stages() - 1);
            default -> 1;
        };
        return p.stage() == stages - 1 && p.epochsDone() == p.epochs();
    }

    /**
     * Reads a resumable checkpoint, rebuilds its model on {@code backend} and restores its parameters, moments and
     * step counts.
     *
     * @param file    the checkpoint
     * @param backend where the model's tensors are allocated
     * @return the model and its run's position
     * @throws CheckpointException if the file is not a checkpoint, does not fit its model, or holds no training
     *                             state (it was saved for evaluation only)
     */
    public static Resumable load(Path file, Backend backend) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backend, "backend");
        Checkpoint checkpoint = CheckpointFile.read(file);
        if (checkpoint.config().get(RUN + "phase") == null) {
            throw new CheckpointException(file + ": holds no training state, so its run cannot be resumed (train "
                    + "--save-every K writes resumable checkpoints); it can still be evaluated");
        }
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(file, checkpoint, backend);
        Model model = loaded.model();
        try {
            restoreState(file, checkpoint, model);
            return new Resumable(model, decode(file, checkpoint.config(), model.lossNames()), checkpoint.config());
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /** Whether a tensor name is part of the training state rather than the model. */
    static boolean isState(String name) {
        return name.endsWith(M) || name.endsWith(V);
    }

    private static float[] moment(Path file, Checkpoint c, String name, int size) {
        if (!c.hasTensor(name)) {
            throw new CheckpointException(file + ": missing tensor '" + name + "' of the training state");
        }
        NamedTensor t = c.tensor(name);
        if (t.size() != size) {
            throw new CheckpointException(file + ": tensor '" + name + "' has " + t.size() + " values, its group "
                    + size);
        }
        return t.data();
    }

    private static int intValue(Path file, Checkpoint c, String key) {
        String v = c.config().get(key);
        try {
            return Integer.parseInt(Objects.requireNonNull(v));
        } catch (NullPointerException | NumberFormatException e) {
            throw new CheckpointException(file + ": configuration '" + key + "' is " + (v == null ? "missing"
                    : "'" + v + "'") + ", expected a whole number");
        }
    }

    static Map<String, String> encode(TrainingPosition p) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(RUN + "phase", p.phase());
        c.put(RUN + "epochs", Integer.toString(p.epochs()));
        c.put(RUN + "train_samples", Integer.toString(p.trainSamples()));
        c.put(RUN + "stage", Integer.toString(p.stage()));
        c.put(RUN + "epochs_done", Integer.toString(p.epochsDone()));
        c.put(RUN + "train_seconds", Double.toString(p.trainSeconds()));
        c.put(RUN + "samples_trained", Long.toString(p.samplesTrained()));
        for (int i = 0; i < p.history().size(); i++) {
            EpochStats s = p.history().get(i);
            StringBuilder b = new StringBuilder();
            b.append(s.epoch()).append('|').append(s.stage()).append('|').append(s.headTrained()).append('|')
                    .append(s.trainAccuracy()).append('|').append(s.testAccuracy()).append('|').append(s.seconds())
                    .append('|').append(s.evalSeconds()).append('|');
            for (int k = 0; k < s.losses().length; k++) {
                b.append(k == 0 ? "" : ",").append(s.losses()[k]);
            }
            c.put(HISTORY + i, b.toString());
        }
        return c;
    }

    static TrainingPosition decode(Path file, Map<String, String> c, List<String> lossNames) {
        try {
            int epochs = Integer.parseInt(c.get(RUN + "epochs"));
            int stage = Integer.parseInt(c.get(RUN + "stage"));
            int done = Integer.parseInt(c.get(RUN + "epochs_done"));
            List<EpochStats> history = new ArrayList<>();
            for (int i = 0; c.containsKey(HISTORY + i); i++) {
                String[] f = c.get(HISTORY + i).split("\\|", -1);
                if (f.length != 8) {
                    throw new IllegalArgumentException(HISTORY + i + " has " + f.length + " fields, expected 8");
                }
                String[] l = f[7].split(",", -1);
                double[] losses = new double[l.length];
                for (int k = 0; k < l.length; k++) {
                    losses[k] = Double.parseDouble(l[k]);
                }
                if (losses.length != lossNames.size()) {
                    throw new IllegalArgumentException(HISTORY + i + " has " + losses.length + " losses, the model "
                            + lossNames.size());
                }
                history.add(new EpochStats(Integer.parseInt(f[0]), f[1], lossNames, losses,
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                        Double.parseDouble(f[6]), Boolean.parseBoolean(f[2])));
            }
            return new TrainingPosition(c.get(RUN + "phase"), epochs, Integer.parseInt(c.get(RUN + "train_samples")),
                    stage, done, history, Double.parseDouble(c.get(RUN + "train_seconds")),
                    Long.parseLong(c.get(RUN + "samples_trained")));
        } catch (RuntimeException e) {
            throw new CheckpointException(file + ": unusable training state: " + e.getMessage(), e);
        }
    }
}
