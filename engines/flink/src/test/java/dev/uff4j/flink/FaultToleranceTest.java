package dev.uff4j.flink;

import dev.uff4j.model.ModelSpec;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures mid-epoch: the job restores every stage from the last completed checkpoint, replays the batches after it,
 * and ends with every batch applied exactly once by every part (the operators' {@code applied} counters throw on a gap
 * or a duplicate) and the states of an uninterrupted run, bit for bit.
 */
class FaultToleranceTest {
    private static final long LAST = Fixtures.EPOCHS * Fixtures.STEPS - 1;
    /** The first checkpoint may cut the stream before the first batches: kill after a few. */
    private static final int CHECKPOINTS_BEFORE_KILL = 3;

    @Test
    void anOperatorFailingOnceAfterACheckpointIsRestoredExactlyOnce() throws Exception {
        ModelSpec spec = Fixtures.spec();
        long failAt = Fixtures.STEPS + Fixtures.STEPS / 4; // epoch 2, step 8
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        FlinkPipelineEngine.Result result = new FlinkPipelineEngine().run(Fixtures.job(spec, Map.of(
                "checkpoint-interval-ms", "200", "batch-delay-ms", "15", "restart-delay-ms", "100",
                "inject-failure-part", "cell2", "inject-failure-batch", Long.toString(failAt)), log));
        for (FlinkPipelineEngine.PartProgress p : result.progress()) {
            assertEquals(LAST, p.applied(), p.part() + ": the last batch applied");
            assertEquals(1, p.restores(), p.part() + ": restored once (the whole pipeline rolls back together)");
            assertTrue(p.restoredAt() < failAt, p.part() + ": restored from a checkpoint before the failure, at "
                    + p.restoredAt());
        }
        // the failure came after a completed checkpoint, mid-epoch: the restore point is past the first batches
        long restoredAt = result.progress().get(1).restoredAt();
        assertTrue(restoredAt >= 0, "cell2 was restored from a checkpoint after its first batch: " + restoredAt);
        Fixtures.assertBitIdentical(Fixtures.reference(spec), result.parts());
        assertTrue(log.stream().anyMatch(l -> l.contains("restores from a checkpoint")), log.toString());
    }

    @Test
    void aTaskManagerKilledMidEpochIsReplacedAndTheRunEndsBitIdentical() throws Exception {
        ModelSpec spec = Fixtures.spec();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> killerFailure = new AtomicReference<>();
        AtomicLong checkpointsAtKill = new AtomicLong(-1);
        Thread[] killer = new Thread[1];
        // two TaskManagers of two slots: every slot holds a stage, so the killed one holds two of them
        FlinkPipelineEngine.Result result = new FlinkPipelineEngine().run(Fixtures.job(spec, Map.of(
                "checkpoint-interval-ms", "200", "batch-delay-ms", "40", "restart-delay-ms", "100",
                "taskmanagers", "2", "slots", "2"), log), cluster -> {
            killer[0] = new Thread(() -> {
                try {
                    checkpointsAtKill.set(killAfterACheckpoint(cluster));
                } catch (Throwable e) {
                    killerFailure.set(e);
                }
            }, "taskmanager-killer");
            killer[0].setDaemon(true);
            killer[0].start();
        });
        killer[0].join(10_000);
        assertNull(killerFailure.get(), () -> "the killer failed: " + killerFailure.get());
        assertTrue(checkpointsAtKill.get() >= CHECKPOINTS_BEFORE_KILL, "killed after completed checkpoints: "
                + checkpointsAtKill.get());
        for (FlinkPipelineEngine.PartProgress p : result.progress()) {
            assertEquals(LAST, p.applied(), p.part() + ": the last batch applied");
            assertTrue(p.restores() >= 1, p.part() + ": restored after the kill");
            assertTrue(p.restoredAt() > 0 && p.restoredAt() < LAST, p.part() + ": restored mid-run, at "
                    + p.restoredAt());
        }
        Fixtures.assertBitIdentical(Fixtures.reference(spec), result.parts());
    }

    /**
     * Waits for the job's third completed checkpoint, kills TaskManager 1 and starts a replacement (as a cluster
     * manager would), returning how many checkpoints had completed.
     */
    private static long killAfterACheckpoint(MiniCluster cluster) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (JobStatusMessage job : cluster.listJobs().get()) {
                if (job.getJobState().isGloballyTerminalState()) {
                    throw new IllegalStateException("the job ended before a checkpoint completed");
                }
                JobID id = job.getJobId();
                long done = cluster.getExecutionGraph(id).get().getCheckpointStatsSnapshot().getCounts()
                        .getNumberOfCompletedCheckpoints();
                if (done >= CHECKPOINTS_BEFORE_KILL) {
                    cluster.terminateTaskManager(1).get();
                    cluster.startTaskManager();
                    return done;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no checkpoint completed within 60 s");
    }
}
