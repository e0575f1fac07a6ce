package dev.uff4j.spark;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.distributed.ClientSplit;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.FederatedAveraging.Faults;
import dev.uff4j.distributed.FederatedAveraging.Result;
import dev.uff4j.distributed.FederatedAveraging.RoundReport;
import dev.uff4j.distributed.FederatedAveraging.Settings;
import dev.uff4j.distributed.FederatedJob;
import dev.uff4j.train.PartState;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import scala.jdk.javaapi.CollectionConverters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spark engine against {@link FederatedAveraging#simulate}, bit for bit, on a context shared by the tests
 * ({@code local[2,2]}: two cores, a task tried twice), which the engine finds and leaves running.
 */
class SparkFederatedEngineTest {
    private static JavaSparkContext sc;
    /** Why each failed task attempt failed. */
    private static final List<String> failedTasks = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        Fixtures.mnist(); // read the data before the clock of the first test starts
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("uff4j-spark tests")
                .set("spark.driver.host", "127.0.0.1").set("spark.ui.enabled", "false"));
        sc.setLogLevel("WARN");
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() instanceof TaskFailedReason r) {
                    failedTasks.add(r.toErrorString());
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.stop();
        }
    }

    private static Result spark(Settings settings, Faults faults, Path checkpoint, Map<String, String> options)
            throws Exception {
        List<RoundReport> told = new ArrayList<>();
        Result r = new SparkFederatedEngine().run(new FederatedJob(Fixtures.spec(), Fixtures.train(), Fixtures.test(),
                settings, checkpoint, options, faults), told::add);
        assertEquals(r.rounds(), told, "onRound is told of every round");
        return r;
    }

    @Test
    void iidRunEqualsSimulateBitForBit() throws Exception {
        Settings s = Fixtures.settings(4, 2, ClientSplit.IID);
        Result expected = Fixtures.simulate(s, Faults.NONE);
        Result actual = spark(s, Faults.NONE, null, Map.of("threads", "2"));
        Fixtures.assertSame(expected, actual);
        assertEquals(4, actual.rounds().get(1).clientsAveraged());
        assertTrue(actual.rounds().get(1).testAccuracy() > 0.2, "it learns (chance: 0.1): " + actual.rounds().get(1));
    }

    @Test
    void labelSkewRunEqualsSimulateBitForBit() throws Exception {
        Settings s = Fixtures.settings(5, 2, ClientSplit.LABEL_SKEW);
        Fixtures.assertSame(Fixtures.simulate(s, Faults.NONE), spark(s, Faults.NONE, null, Map.of()));
    }

    @Test
    void taskThatFailsOnceIsRetriedAndChangesNothing() throws Exception {
        Settings s = Fixtures.settings(3, 2, ClientSplit.IID);
        int before = failedTasks.size();
        Result actual = spark(s, Faults.NONE, null, Map.of("fail-task-once", "1:2,2:0:head"));
        Fixtures.assertSame(Fixtures.simulate(s, Faults.NONE), actual);
        assertTrue(actual.rounds().stream().allMatch(r -> r.failures().isEmpty()), "a retried task is no failure");
        List<String> failed = awaitFailedTasks(before, 2);
        assertEquals(2, failed.size(), "two task attempts died: " + failed);
        assertTrue(failed.get(0).contains("injected task failure: round 1, CELLS phase, client2"), failed.get(0));
        assertTrue(failed.get(1).contains("injected task failure: round 2, HEAD phase, client0"), failed.get(1));
    }

    @Test
    void deadClientIsReportedAndLeftOutLikeSimulate() throws Exception {
        Settings s = Fixtures.settings(4, 3, ClientSplit.IID);
        Faults faults = (round, client) -> round == 2 && client == 1;
        int before = failedTasks.size();
        Result actual = spark(s, faults, null, Map.of());
        Fixtures.assertSame(Fixtures.simulate(s, faults), actual);
        RoundReport second = actual.rounds().get(1);
        assertEquals(List.of("client1 failed in round 2: injected fault"), second.failures());
        assertEquals(3, second.clientsAveraged());
        assertEquals(4, actual.rounds().get(2).clientsAveraged(), "it comes back in round 3");
        assertEquals(before, failedTasks.size(), "a dead client is an answer, not a failed task");
    }

    @Test
    void checkpointedRunResumesAndEqualsUninterruptedRun() throws Exception {
        Path checkpoint = Fixtures.tempDir("spark-ckpt").resolve("federated.ckpt");
        Result first = spark(Fixtures.settings(4, 2, ClientSplit.IID), Faults.NONE, checkpoint, Map.of());
        assertEquals(2, first.rounds().size());
        Settings three = Fixtures.settings(4, 3, ClientSplit.IID);
        Result resumed = spark(three, Faults.NONE, checkpoint, Map.of());
        assertEquals(1, resumed.rounds().size(), "only round 3 runs");
        assertEquals(3, resumed.rounds().get(0).round());
        Result uninterrupted = Fixtures.simulate(three, Faults.NONE);
        Fixtures.assertSameParts(uninterrupted, resumed);
        assertEquals(uninterrupted.rounds().get(2).testAccuracy(), resumed.rounds().get(0).testAccuracy(), 0.0);
        Result done = spark(three, Faults.NONE, checkpoint, Map.of());
        assertTrue(done.rounds().isEmpty(), "a finished run has nothing left to do");
        Fixtures.assertSameParts(uninterrupted, done);
    }

    @Test
    void eachPhaseDestroysItsBroadcastAndCloseTheClientsData() throws Exception {
        Settings s = Fixtures.settings(3, 1, ClientSplit.IID);
        FederatedJob job = new FederatedJob(Fixtures.spec(), Fixtures.train(), Fixtures.test(), s, null, Map.of(),
                Faults.NONE);
        List<PartState> parts;
        try (Backend b = BackendFactory.open(BackendOptions.cpu().threads(1), line -> { })) {
            parts = FederatedAveraging.initialParts(b, Fixtures.spec());
        }
        List<Long> ids;
        try (SparkClients clients = new SparkClients(sc, job, TaskFailures.NONE)) {
            List<PartState> cells = parts.subList(0, 2);
            assertEquals(3, clients.trainCells(1, cells).size());
            assertEquals(2, clients.trainHeads(1, cells, parts.get(2), Set.of(1)).size(), "client 1 skipped");
            ids = clients.broadcastIds();
            assertEquals(5, ids.size(), "three clients' samples and two phases' states");
            assertEquals(List.of(), awaitBlocksGone(ids.subList(3, 5)), "the phases' broadcasts are gone");
            assertEquals(3, blocksOf(ids.subList(0, 3)).stream().map(BroadcastBlockId::broadcastId).distinct()
                    .count(), "the samples stay while the clients are open");
        }
        assertEquals(List.of(), awaitBlocksGone(ids), "closing the clients destroys their samples' broadcasts");
    }

    /** The blocks of these broadcasts on every block manager. */
    private static List<BroadcastBlockId> blocksOf(List<Long> ids) {
        List<BroadcastBlockId> out = new ArrayList<>();
        for (BlockId b : CollectionConverters.asJava(SparkEnv.get().blockManager().master().getMatchingBlockIds(
                id -> id instanceof BroadcastBlockId bb && ids.contains(bb.broadcastId()), true))) {
            out.add((BroadcastBlockId) b);
        }
        return out;
    }

    private static List<BroadcastBlockId> awaitBlocksGone(List<Long> ids) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L; // destroy() removes the blocks asynchronously
        List<BroadcastBlockId> left = blocksOf(ids);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = blocksOf(ids);
        }
        return left;
    }

    private static List<String> awaitFailedTasks(int from, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L; // the listener bus is asynchronous
        while (failedTasks.size() < from + expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        synchronized (failedTasks) {
            return new ArrayList<>(failedTasks.subList(from, failedTasks.size()));
        }
    }
}
