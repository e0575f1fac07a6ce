package dev.uff4j.flink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Flink engine's options ({@code --engine-option KEY=VALUE} on the command line, {@code PipelineJob.options()}
 * in code). Unknown keys are an error naming the known ones.
 *
 * <table>
 *   <caption>Options</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code checkpoint-interval-ms}</td><td>500</td><td>time between checkpoints of the stages' states</td></tr>
 *   <tr><td>{@code checkpoint-dir}</td><td>a temporary directory (local), the cluster's setting (remote)</td>
 *       <td>where checkpoints are written ({@code file:///...}, {@code s3://...}); must be shared by every machine
 *       of a cluster</td></tr>
 *   <tr><td>{@code restart-attempts}</td><td>3</td><td>restarts (fixed delay) before the run fails</td></tr>
 *   <tr><td>{@code restart-delay-ms}</td><td>500</td><td>pause before each restart</td></tr>
 *   <tr><td>{@code taskmanagers}</td><td>1</td><td>local only: TaskManagers of the in-process MiniCluster</td></tr>
 *   <tr><td>{@code slots}</td><td>enough for one per stage</td><td>local only: slots per TaskManager</td></tr>
 *   <tr><td>{@code threads-per-stage}</td><td>1</td><td>threads of each stage's CPU backend</td></tr>
 *   <tr><td>{@code jobmanager}</td><td>none: a local MiniCluster</td><td>{@code host:port} of a Flink cluster's
 *       REST endpoint (port 8081 by default) to submit to</td></tr>
 *   <tr><td>{@code jars}</td><td>the engine's and uff4j's jars</td><td>remote only: comma-separated jars to ship
 *       (e.g. the job jar, {@code uff4j-flink-0.1.0-job.jar})</td></tr>
 *   <tr><td>{@code batch-delay-ms}</td><td>0</td><td>a pause per batch at the source (demonstrations and failure
 *       tests: leaves time for checkpoints)</td></tr>
 *   <tr><td>{@code inject-failure-part}, {@code inject-failure-batch}</td><td>none</td><td>tests: that part
 *       ({@code cell1} ... or {@code head}) throws once, in its first attempt, at the first batch at or after that
 *       id that it sees once a checkpoint has completed</td></tr>
 *   <tr><td>{@code threads}</td><td></td><td>accepted and ignored (the command line passes its thread count;
 *       each stage uses {@code threads-per-stage})</td></tr>
 *   <tr><td>{@code parallelism}</td><td>1</td><td>only 1: each stage steps on the batches one after the other
 *       (the pipeline's parallelism is its stages, one slot each)</td></tr>
 * </table>
 *
 * @param checkpointIntervalMs time between checkpoints
 * @param checkpointDir        where checkpoints go, or null for the default
 * @param restartAttempts      fixed-delay restart attempts
 * @param restartDelayMs       delay before a restart
 * @param taskManagers         local TaskManagers
 * @param slots                slots per local TaskManager, or 0 for enough
 * @param threadsPerStage      each stage's backend threads
 * @param jobManager           {@code host:port} of a cluster's REST endpoint, or null for a local MiniCluster
 * @param jars                 jars to ship to a cluster (empty: found on the class path)
 * @param batchDelayMs         a pause per batch at the source
 * @param failPart             the part that fails once, or null
 * @param failAtBatch          from which batch it fails
 */
public record FlinkOptions(long checkpointIntervalMs, String checkpointDir, int restartAttempts, long restartDelayMs,
                           int taskManagers, int slots, int threadsPerStage, String jobManager, List<String> jars,
                           long batchDelayMs, String failPart, long failAtBatch) {
    /** Every key this engine reads. */
    public static final List<String> KEYS = List.of("checkpoint-interval-ms", "checkpoint-dir", "restart-attempts",
            "restart-delay-ms", "taskmanagers", "slots", "threads-per-stage", "jobmanager", "jars", "batch-delay-ms",
            "inject-failure-part", "inject-failure-batch", "threads", "parallelism");

    /**
     * Checks the values.
     *
     * @param checkpointIntervalMs at least 10
     * @param checkpointDir        a URI or path, or null
     * @param restartAttempts      at least 0
     * @param restartDelayMs       at least 0
     * @param taskManagers         at least 1
     * @param slots                at least 0
     * @param threadsPerStage      at least 1
     * @param jobManager           {@code host:port}, or null
     * @param jars                 jar paths
     * @param batchDelayMs         at least 0
     * @param failPart             a part's name, or null
     * @param failAtBatch          at least 0
     */
    public FlinkOptions {
        jars = List.copyOf(jars);
        check(checkpointIntervalMs >= 10, "checkpoint-interval-ms must be at least 10, got " + checkpointIntervalMs);
        check(restartAttempts >= 0, "restart-attempts must be at least 0, got " + restartAttempts);
        check(restartDelayMs >= 0, "restart-delay-ms must be at least 0, got " + restartDelayMs);
        check(taskManagers >= 1, "taskmanagers must be at least 1, got " + taskManagers);
        check(slots >= 0, "slots must be at least 1, got " + slots);
        check(threadsPerStage >= 1, "threads-per-stage must be at least 1, got " + threadsPerStage);
        check(batchDelayMs >= 0, "batch-delay-ms must be at least 0, got " + batchDelayMs);
        check(failAtBatch >= 0, "inject-failure-batch must be at least 0, got " + failAtBatch);
        if (jobManager != null) {
            int colon = jobManager.lastIndexOf(':');
            check(colon > 0 && jobManager.substring(colon + 1).matches("[0-9]{1,5}"),
                    "jobmanager must be host:port (the REST endpoint, e.g. flink-jm:8081), got " + jobManager);
        }
    }

    /**
     * Parses {@code PipelineJob.options()}.
     *
     * @param options key/value pairs
     * @return the options
     * @throws IllegalArgumentException for an unknown key or a bad value, naming it
     */
    public static FlinkOptions parse(Map<String, String> options) {
        Map<String, String> o = new LinkedHashMap<>(options);
        List<String> unknown = new ArrayList<>(o.keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown flink engine option(s) " + unknown + "; known: "
                    + String.join(", ", KEYS));
        }
        if (o.containsKey("parallelism") && number(o, "parallelism", 1) != 1) {
            throw new IllegalArgumentException("flink engine option parallelism must be 1, got " + o.get("parallelism")
                    + ": each stage (a cell or the head) steps on the batches in order, so it runs as one task; the "
                    + "pipeline runs its stages in parallel, one slot each (place them with taskmanagers and slots)");
        }
        String failPart = o.get("inject-failure-part");
        if (failPart != null && !o.containsKey("inject-failure-batch")) {
            throw new IllegalArgumentException("inject-failure-part needs inject-failure-batch");
        }
        String jars = o.getOrDefault("jars", "");
        return new FlinkOptions(number(o, "checkpoint-interval-ms", 500), o.get("checkpoint-dir"),
                (int) number(o, "restart-attempts", 3), number(o, "restart-delay-ms", 500),
                (int) number(o, "taskmanagers", 1), (int) number(o, "slots", 0),
                (int) number(o, "threads-per-stage", 1), o.get("jobmanager"),
                jars.isBlank() ? List.of() : List.of(jars.split(",")), number(o, "batch-delay-ms", 0), failPart,
                number(o, "inject-failure-batch", 0));
    }

    /**
     * Whether the run goes to a cluster rather than a local MiniCluster.
     *
     * @return true with {@code jobmanager}
     */
    public boolean remote() {
        return jobManager != null;
    }

    /**
     * Slots per local TaskManager: the {@code slots} option, or enough for every stage to have one.
     *
     * @param stages slots the pipeline needs
     * @return slots per TaskManager
     */
    public int slotsPerTaskManager(int stages) {
        return slots > 0 ? slots : (stages + taskManagers - 1) / taskManagers;
    }

    private static long number(Map<String, String> o, String key, long fallback) {
        String v = o.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flink engine option " + key + " must be a whole number, got '" + v
                    + "'");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
