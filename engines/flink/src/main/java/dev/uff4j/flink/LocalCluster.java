package dev.uff4j.flink;

import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * A Flink MiniCluster in this JVM: {@code taskmanagers} TaskManagers with {@code slots} slots each (the pipeline
 * needs one slot per stage: a slot sharing group per stage, see {@link LayerPipeline}), and environments whose jobs
 * run on it. Unlike Flink's local environment, which starts a cluster per job and stops it as the job ends, this one
 * lives until {@link #close}: the engine drains the job's results first, and tests reach the cluster meanwhile (to
 * kill a TaskManager).
 */
final class LocalCluster implements AutoCloseable {
    private static final String EXECUTOR = "uff4j-local";

    private final MiniCluster cluster;
    private final double startSeconds;

    private LocalCluster(MiniCluster cluster, double startSeconds) {
        this.cluster = cluster;
        this.startSeconds = startSeconds;
    }

    /**
     * Starts a cluster.
     *
     * @param conf         settings for the cluster (e.g. heartbeats)
     * @param taskManagers TaskManagers, at least 1
     * @param slots        slots per TaskManager, at least 1
     * @return the running cluster
     * @throws Exception if it does not start
     */
    static LocalCluster start(Configuration conf, int taskManagers, int slots) throws Exception {
        Configuration c = new Configuration(conf);
        c.set(RestOptions.BIND_PORT, "0");
        // too few slots for the slot sharing groups fails within 30 s instead of the default 5 minutes
        c.set(JobManagerOptions.SLOT_REQUEST_TIMEOUT, Duration.ofSeconds(30));
        // a batch is a few hundred KB: 32 MB of network buffers per TaskManager are plenty
        c.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(32));
        c.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(32));
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(c)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slots)
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build());
        long t0 = System.nanoTime();
        try {
            cluster.start();
        } catch (Exception | Error e) {
            try {
                cluster.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new LocalCluster(cluster, (System.nanoTime() - t0) / 1e9);
    }

    /** The running MiniCluster. */
    MiniCluster miniCluster() {
        return cluster;
    }

    /** Seconds {@link #start} took. */
    double startSeconds() {
        return startSeconds;
    }

    /**
     * An environment whose jobs run on this cluster.
     *
     * @param jobConf the jobs' settings (checkpoints, restarts)
     * @return the environment
     */
    StreamExecutionEnvironment environment(Configuration jobConf) {
        Configuration c = new Configuration(jobConf);
        c.set(DeploymentOptions.TARGET, EXECUTOR);
        c.set(DeploymentOptions.ATTACHED, true);
        PipelineExecutor executor = (pipeline, configuration, classLoader) -> {
            StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, configuration);
            graph.serializeUserDefinedInstances();
            return cluster.submitJob(graph).thenApply(submitted -> {
                try {
                    ClientUtils.waitUntilJobInitializationFinished(
                            () -> cluster.getJobStatus(submitted.getJobID()).get(),
                            () -> cluster.requestJobResult(submitted.getJobID()).get(), classLoader);
                } catch (Exception e) {
                    throw new IllegalStateException("the job did not initialize", e);
                }
                return (JobClient) new MiniClusterJobClient(submitted.getJobID(), cluster, classLoader,
                        MiniClusterJobClient.JobFinalizationBehavior.NOTHING);
            });
        };
        PipelineExecutorFactory factory = new PipelineExecutorFactory() {
            @Override
            public String getName() {
                return EXECUTOR;
            }

            @Override
            public boolean isCompatibleWith(Configuration configuration) {
                return EXECUTOR.equals(configuration.get(DeploymentOptions.TARGET));
            }

            @Override
            public PipelineExecutor getExecutor(Configuration configuration) {
                return executor;
            }
        };
        PipelineExecutorServiceLoader loader = new PipelineExecutorServiceLoader() {
            @Override
            public PipelineExecutorFactory getExecutorFactory(Configuration configuration) {
                return factory;
            }

            @Override
            public Stream<String> getExecutorNames() {
                return Stream.of(EXECUTOR);
            }
        };
        return new StreamExecutionEnvironment(loader, c, LocalCluster.class.getClassLoader());
    }

    /** Stops the cluster and its TaskManagers. */
    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the local Flink cluster stopped", e);
        } catch (Exception e) {
            throw new IllegalStateException("the local Flink cluster did not stop cleanly", e);
        }
    }
}
