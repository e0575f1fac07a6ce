package dev.uff4j.flink;

import dev.uff4j.distributed.PipelineEngine;
import dev.uff4j.distributed.PipelineJob;
import dev.uff4j.train.PartState;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The layer pipeline on Apache Flink ({@code --engine flink}): a streaming job with one stateful operator per cell
 * and one for the head, each in a slot of its own, batches flowing from a checkpointed source through the cells to
 * the head (see {@link LayerPipeline} and {@link PartOperator}). It trains exactly what the pipelined schedule
 * trains, bit for bit, failures and restores included.
 *
 * <p>Without the {@code jobmanager} option the job runs on a MiniCluster in this JVM; with it, on that Flink 2.3
 * cluster (the engine's and uff4j's jars shipped with the job). Options: {@link FlinkOptions}.
 */
public final class FlinkPipelineEngine implements PipelineEngine {
    /**
     * Where a part ended: the last batch it applied and how many times it was restored from a checkpoint.
     *
     * @param part     {@code cell1}, ... or {@code head}
     * @param applied  the last batch applied: {@code epochs * stepsPerEpoch - 1} after a whole run
     * @param restores restores from a checkpoint
     * @param restoredAt the last batch applied in the checkpoint of the last restore, -1 for none (or for a
     *                   checkpoint before the part's first batch)
     */
    public record PartProgress(String part, long applied, int restores, long restoredAt) {
    }

    /**
     * A finished run.
     *
     * @param parts    every part's final state, cells in order then the head
     * @param progress every part's progress, in the same order
     * @param batches  the run's batches
     * @param seconds  the run's wall time, the cluster's start included
     */
    public record Result(List<PartState> parts, List<PartProgress> progress, long batches, double seconds) {
        /**
         * Copies the lists.
         *
         * @param parts    the states
         * @param progress the progress
         * @param batches  at least 1
         * @param seconds  at least 0
         */
        public Result {
            parts = List.copyOf(parts);
            progress = List.copyOf(progress);
        }
    }

    /** For {@link java.util.ServiceLoader}. */
    public FlinkPipelineEngine() {
    }

    @Override
    public String name() {
        return "flink";
    }

    @Override
    public List<PartState> train(PipelineJob job) throws Exception {
        return run(job, null).parts();
    }

    /**
     * Runs the job and returns the states with each part's progress.
     *
     * @param job what to train
     * @return the final states and progress
     * @throws Exception when the job fails (Flink's exceptions pass through)
     */
    public Result run(PipelineJob job) throws Exception {
        return run(job, null);
    }

    /**
     * Runs the job; on a local MiniCluster, {@code onLocalStart} gets the cluster once it runs (tests kill its
     * TaskManagers).
     */
    Result run(PipelineJob job, Consumer<MiniCluster> onLocalStart) throws Exception {
        long t0 = System.nanoTime();
        FlinkOptions options = FlinkOptions.parse(job.options());
        PipelineConfig config = config(job, options);
        Configuration conf = configuration(options);
        int stages = LayerPipeline.slots(config.cells());
        if (options.remote()) {
            job.log().accept("flink: submitting to the cluster at " + options.jobManager() + " (the job needs "
                    + stages + " free slots)");
            return execute(remote(options, conf), config, options, job.log(), t0);
        }
        int slots = options.slotsPerTaskManager(stages);
        if ((long) slots * options.taskManagers() < stages) {
            throw new IllegalArgumentException("the pipeline needs " + stages + " slots (one per cell, one for the "
                    + "head, one for the source); " + options.taskManagers() + " TaskManager(s) x " + slots
                    + " slot(s) is too few");
        }
        Path temporaryCheckpoints = null;
        try {
            if (options.checkpointDir() == null) {
                temporaryCheckpoints = Files.createTempDirectory("uff4j-flink-checkpoints");
                checkpointsTo(conf, temporaryCheckpoints.toUri().toString());
            }
            try (LocalCluster cluster = LocalCluster.start(new Configuration(), options.taskManagers(), slots)) {
                job.log().accept(String.format(Locale.ROOT, "flink: local MiniCluster of %d TaskManager(s) x %d "
                        + "slot(s) started in %.1f s", options.taskManagers(), slots, cluster.startSeconds()));
                if (onLocalStart != null) {
                    onLocalStart.accept(cluster.miniCluster());
                }
                return execute(cluster.environment(conf), config, options, job.log(), t0);
            }
        } finally {
            if (temporaryCheckpoints != null) {
                deleteTree(temporaryCheckpoints);
            }
        }
    }

    /**
     * Runs the job on an environment that already exists: {@code flink run}'s (see {@link FlinkPipelineJob}). The
     * job's checkpoint and restart options are set on it; {@code jobmanager}, {@code taskmanagers} and {@code slots}
     * do not apply.
     *
     * @param env a Flink environment
     * @param job what to train
     * @return the final states and progress
     * @throws Exception when the job fails
     */
    public static Result runOn(StreamExecutionEnvironment env, PipelineJob job) throws Exception {
        long t0 = System.nanoTime();
        FlinkOptions options = FlinkOptions.parse(job.options());
        env.configure(configuration(options));
        return execute(env, config(job, options), options, job.log(), t0);
    }

    private static PipelineConfig config(PipelineJob job, FlinkOptions options) {
        return new PipelineConfig(job.spec(), job.dataset(), job.dataDir().toAbsolutePath().normalize(),
                job.trainSamples(), job.epochs(), options.threadsPerStage(), options.batchDelayMs(), options.failPart(),
                options.failAtBatch());
    }

    private static Result execute(StreamExecutionEnvironment env, PipelineConfig config, FlinkOptions options,
                                  Consumer<String> log, long t0) throws Exception {
        log.accept(String.format(Locale.ROOT, "flink: %s: %d batches (%d epochs x %d steps), a checkpoint every "
                + "%d ms", config, config.totalBatches(), config.epochs(), config.stepsPerEpoch(),
                options.checkpointIntervalMs()));
        DataStream<StageOutput> reports = LayerPipeline.build(env, config);
        String name = "uff4j layer pipeline: " + config.specConfig().get("model") + ", " + config.cells() + " cells, "
                + config.dataset().id();
        Result result = collect(reports, name, config, log, t0);
        log.accept(String.format(Locale.ROOT, "flink: done in %.1f s: every part applied batches 0..%d once%s",
                result.seconds(), result.batches() - 1, restores(result.progress())));
        return result;
    }

    /** The job's Flink settings: checkpoints, restarts, POJOs only. */
    static Configuration configuration(FlinkOptions options) {
        Configuration c = new Configuration();
        c.set(CoreOptions.DEFAULT_PARALLELISM, 1);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(options.checkpointIntervalMs()));
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, options.restartAttempts());
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(options.restartDelayMs()));
        // a record is a whole batch (tens to hundreds of KB): send it at once rather than wait up to 100 ms for the
        // network buffer it half fills (Flink's default), which would hold every batch back at every stage
        c.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ZERO);
        // every record is a POJO: a type that would fall back to Kryo fails at once
        c.set(PipelineOptions.GENERIC_TYPES, false);
        if (options.checkpointDir() != null) {
            checkpointsTo(c, options.checkpointDir());
        }
        return c;
    }

    private static void checkpointsTo(Configuration c, String dir) {
        c.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir);
    }

    private static StreamExecutionEnvironment remote(FlinkOptions options, Configuration conf) {
        String hostPort = options.jobManager();
        int colon = hostPort.lastIndexOf(':');
        List<String> jars = options.jars().isEmpty() ? defaultJars() : options.jars();
        return StreamExecutionEnvironment.createRemoteEnvironment(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1)), conf, jars.toArray(String[]::new));
    }

    /** This engine's jar and uff4j's, as the class path has them. */
    private static List<String> defaultJars() {
        List<String> jars = new ArrayList<>();
        for (Class<?> c : List.of(FlinkPipelineEngine.class, PipelineJob.class)) {
            CodeSource source = c.getProtectionDomain().getCodeSource();
            Path p = null;
            try {
                p = source == null ? null : Path.of(source.getLocation().toURI());
            } catch (URISyntaxException | IllegalArgumentException e) {
                // not a file: reported below
            }
            if (p == null || !p.toString().endsWith(".jar")) {
                throw new IllegalArgumentException("cannot find the jar of " + c.getName() + " to ship to the "
                        + "cluster (it comes from " + p + "): set the engine option jars=PATH.jar[,...] (e.g. "
                        + "engines/flink/target/uff4j-flink-0.1.0-job.jar)");
            }
            if (!jars.contains(p.toString())) {
                jars.add(p.toString());
            }
        }
        return jars;
    }

    /** Runs the job and gathers the stages' reports: epoch lines as they come, the states at the end. */
    static Result collect(DataStream<StageOutput> reports, String jobName, PipelineConfig config,
                          Consumer<String> log, long t0) throws Exception {
        int parts = config.cells() + 1;
        List<TreeMap<Integer, byte[]>> chunks = new ArrayList<>();
        int[] chunkCounts = new int[parts];
        long[] applied = new long[parts];
        int[] restores = new int[parts];
        long[] restoredAt = new long[parts];
        Arrays.fill(applied, -1);
        Arrays.fill(restoredAt, -1);
        for (int i = 0; i < parts; i++) {
            chunks.add(new TreeMap<>());
        }
        TreeMap<Integer, StageOutput[]> epochs = new TreeMap<>();
        try (CloseableIterator<StageOutput> it = reports.executeAndCollect(jobName)) {
            while (it.hasNext()) {
                StageOutput r = it.next();
                if (r.part < 0 || r.part >= parts) {
                    throw new IllegalStateException("a report of an unknown part " + r.part);
                }
                if (r.restores > restores[r.part]) {
                    restores[r.part] = r.restores;
                    restoredAt[r.part] = r.restoredAt;
                }
                if (r.isEpochReport()) {
                    StageOutput[] row = epochs.computeIfAbsent(r.epoch, e -> new StageOutput[parts]);
                    row[r.part] = r;
                    if (Arrays.stream(row).allMatch(x -> x != null)) {
                        log.accept(epochLine(r.epoch, config.epochs(), row));
                        epochs.remove(r.epoch);
                    }
                    continue;
                }
                byte[] previous = chunks.get(r.part).putIfAbsent(r.chunk, r.bytes);
                if (previous != null && !Arrays.equals(previous, r.bytes)) {
                    throw new IllegalStateException(r.name + ": two different copies of piece " + r.chunk
                            + " of its final state");
                }
                chunkCounts[r.part] = r.chunks;
                applied[r.part] = r.applied;
            }
        }
        List<PartState> states = new ArrayList<>();
        List<PartProgress> progress = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            String name = PipelineConfig.partName(i, config.cells());
            TreeMap<Integer, byte[]> pieces = chunks.get(i);
            if (chunkCounts[i] == 0 || pieces.size() != chunkCounts[i]) {
                throw new IllegalStateException("the job ended without " + name + "'s final state (" + pieces.size()
                        + " of " + chunkCounts[i] + " pieces)");
            }
            if (applied[i] != config.totalBatches() - 1) {
                throw new IllegalStateException(name + " applied batches up to " + applied[i] + " of 0.."
                        + (config.totalBatches() - 1));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            pieces.values().forEach(bytes::writeBytes);
            PartState state = PartState.fromBytes(bytes.toByteArray());
            if (!state.part().equals(name)) {
                throw new IllegalStateException("part " + i + " sent the state of " + state.part());
            }
            states.add(state);
            progress.add(new PartProgress(name, applied[i], restores[i], restoredAt[i]));
        }
        return new Result(states, progress, config.totalBatches(), (System.nanoTime() - t0) / 1e9);
    }

    private static String epochLine(int epoch, int epochs, StageOutput[] row) {
        StringJoiner parts = new StringJoiner(", ");
        double accuracy = Double.NaN;
        int restores = 0;
        for (StageOutput r : row) {
            StringJoiner losses = new StringJoiner("/");
            for (double l : r.losses) {
                losses.add(String.format(Locale.ROOT, "%.4f", l));
            }
            parts.add(r.name + " " + losses);
            if (!Double.isNaN(r.accuracy)) {
                accuracy = r.accuracy;
            }
            restores = Math.max(restores, r.restores);
        }
        return String.format(Locale.ROOT, "flink: epoch %d/%d: losses %s; train accuracy %.2f%%%s", epoch, epochs,
                parts, 100 * accuracy, restores == 0 ? "" : " (after " + restores + " restore" + (restores == 1 ? ""
                        : "s") + " from a checkpoint: losses since the last)");
    }

    private static String restores(List<PartProgress> progress) {
        StringJoiner j = new StringJoiner(", ");
        for (PartProgress p : progress) {
            if (p.restores() > 0) {
                j.add(p.part() + " " + p.restores() + " (last from batch " + p.restoredAt() + ")");
            }
        }
        return j.length() == 0 ? "" : "; restores from a checkpoint: " + j;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory: leaving it is harmless
        }
    }
}
