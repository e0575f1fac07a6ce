package dev.uff4j.spark;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.FederatedEngine;
import dev.uff4j.distributed.FederatedJob;
import dev.uff4j.model.ModelSpec;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Federated averaging ({@link FederatedAveraging}) on Apache Spark: the engine {@code spark}. The rounds, the
 * averages (in client order, weighted by samples), the test after each round and the checkpoint run on the driver
 * ({@link FederatedAveraging#run}); each round's two client phases run as two Spark jobs over an RDD with one
 * partition per client ({@link SparkClients}, {@link ClientPhase}).
 *
 * <p>Options ({@link FederatedJob#options}):
 * <ul>
 *   <li>{@code master}: the Spark master, e.g. {@code local[4]}, {@code local[4,3]} (4 cores, a task tried up to
 *       3 times: plain {@code local[N]} never retries) or {@code spark://host:7077}; default: {@code spark.master}
 *       as {@code spark-submit} or {@code -Dspark.master} sets it, else {@code local[threads]};</li>
 *   <li>{@code threads}: the driver's CPU threads (testing and checkpointing the averaged model) and the default
 *       {@code local[N]}; 0 or absent: every processor. Each client trains on one thread: Spark runs as many
 *       clients at once as it has cores;</li>
 *   <li>{@code app-name}: the application's name (default {@code uff4j federated});</li>
 *   <li>{@code log-level}: Spark's log level when the engine starts the context (default {@code WARN}; a JVM
 *       with its own Log4j 2 configuration keeps it until the context has started);</li>
 *   <li>{@code spark.*}: any Spark setting, for a context the engine starts;</li>
 *   <li>{@code fail-task-once}: for tests, {@code ROUND:CLIENT[:head],...}: that task's first attempt dies
 *       (see {@link TaskFailures}).</li>
 * </ul>
 * A SparkContext already running in this JVM (a notebook's, a test's, or one given to the constructor) is used as
 * it is and left running; otherwise the engine starts one and stops it at the end.
 */
public final class SparkFederatedEngine implements FederatedEngine {
    /** The options this engine reads, besides {@code spark.*}. */
    public static final Set<String> OPTIONS = Set.of("master", "threads", "app-name", "log-level", "fail-task-once");

    private static final String OWNER_KEY = "spark.uff4j.engine.owner";

    private final JavaSparkContext given;

    /** The engine as {@link dev.uff4j.distributed.Engines#federated} finds it: it finds or starts a context. */
    public SparkFederatedEngine() {
        this.given = null;
    }

    /**
     * An engine on this context, which it never stops; the {@code master} and {@code spark.*} options are then
     * ignored.
     *
     * @param context a running context
     */
    public SparkFederatedEngine(JavaSparkContext context) {
        this.given = Objects.requireNonNull(context, "context");
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public FederatedAveraging.Result run(FederatedJob job, Consumer<FederatedAveraging.RoundReport> onRound)
            throws Exception {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(onRound, "onRound");
        Map<String, String> options = job.options();
        Set<String> unknown = new TreeSet<>();
        for (String k : options.keySet()) {
            if (!OPTIONS.contains(k) && !k.startsWith("spark.")) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the spark engine has no option " + String.join(", ", unknown)
                    + " (options: " + String.join(", ", new TreeSet<>(OPTIONS)) + ", spark.*)");
        }
        int threads = threads(options.get("threads"));
        TaskFailures failOnce = TaskFailures.parse(options.get("fail-task-once"));
        ModelSpec spec = job.spec();
        if (!ModelSpec.fromConfig(spec.toConfig()).equals(spec)) {
            // the executors rebuild the spec from its configuration: it must come back whole
            throw new IllegalStateException("this model's specification does not survive toConfig/fromConfig, so it "
                    + "cannot be sent to Spark's executors: " + spec);
        }
        JavaSparkContext sc = given;
        boolean owned = false;
        if (sc == null) {
            String token = UUID.randomUUID().toString();
            String level = options.getOrDefault("log-level", "WARN");
            SparkLogs.quietDefaults(level);
            SparkContext found = SparkContext.getOrCreate(conf(options, threads, token));
            owned = found.getConf().get(OWNER_KEY, "").equals(token);
            sc = JavaSparkContext.fromSparkContext(found);
            if (owned) {
                sc.setLogLevel(level);
            }
        }
        try (Backend driver = BackendFactory.open(BackendOptions.cpu().threads(threads), line -> { });
             SparkClients clients = new SparkClients(sc, job, failOnce)) {
            return FederatedAveraging.run(driver, spec, job.test(), job.settings(), job.checkpoint(), clients,
                    onRound);
        } finally {
            if (owned) {
                sc.stop();
            }
        }
    }

    /**
     * The configuration of a context the engine starts: Spark's defaults and {@code spark.*} system properties (as
     * {@code spark-submit} sets them), then the options.
     */
    static SparkConf conf(Map<String, String> options, int threads, String token) {
        SparkConf conf = new SparkConf();
        options.forEach((k, v) -> {
            if (k.startsWith("spark.")) {
                conf.set(k, v);
            }
        });
        if (options.containsKey("master")) {
            conf.setMaster(options.get("master"));
        }
        conf.setIfMissing("spark.master", "local[" + (threads == 0 ? "*" : Integer.toString(threads)) + "]");
        conf.setIfMissing("spark.app.name", options.getOrDefault("app-name", "uff4j federated"));
        if (conf.get("spark.master").startsWith("local")) {
            // one machine: no host name to resolve, no web UI to serve
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        conf.set(OWNER_KEY, token);
        return conf;
    }

    private static int threads(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            int t = Integer.parseInt(value.strip());
            if (t < 0 || t > 1024) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threads must be in [0, 1024] (0: every processor), got " + value);
        }
    }
}
