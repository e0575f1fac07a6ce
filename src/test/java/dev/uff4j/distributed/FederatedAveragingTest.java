package dev.uff4j.distributed;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.train.PartState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Federated averaging in one process: the splits, the rounds, a failed client, checkpoints and resuming. */
class FederatedAveragingTest {
    private static final int INPUT = 16;

    /** Four classes, each a bright quarter of 16 inputs, plus noise. */
    private static Dataset quarters(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[n][INPUT];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(4);
            for (int j = 0; j < INPUT; j++) {
                rows[i][j] = (float) Math.min(1, Math.max(0, (j / 4 == labels[i] ? 0.8 : 0.2) + 0.15
                        * r.nextGaussian()));
            }
        }
        return Dataset.of(rows, labels, 4);
    }

    private static ModelSpec spec() {
        return new ModelSpecBuilder(ModelKind.DAE, INPUT, 4).cells(2).hidden(12).batch(16).seed(2)
                .lrSchedule(LrSchedule.CONSTANT).build();
    }

    @Test
    void iidClientsGetDisjointNearlyEqualSharesOfEverything() {
        Dataset d = quarters(103, 1);
        List<int[]> parts = ClientSplit.IID.indices(d, 4, 7);
        boolean[] seen = new boolean[103];
        for (int[] p : parts) {
            assertTrue(p.length == 25 || p.length == 26, "share " + p.length);
            for (int i : p) {
                assertTrue(!seen[i], "sample " + i + " twice");
                seen[i] = true;
            }
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        assertArrayEquals(parts.get(2), ClientSplit.IID.indices(d, 4, 7).get(2), "the same seed, the same split");
    }

    @Test
    void labelSkewedClientsSeeFewClasses() {
        Dataset d = quarters(400, 2);
        List<int[]> parts = ClientSplit.LABEL_SKEW.indices(d, 4, 3);
        int total = 0;
        for (int[] p : parts) {
            total += p.length;
            long classes = Arrays.stream(p).map(d::label).distinct().count();
            assertTrue(classes <= 3, "two shards hold at most three classes here, got " + classes);
        }
        assertEquals(400, total);
        assertEquals(ClientSplit.LABEL_SKEW, ClientSplit.parse("label-skew"));
        assertThrows(IllegalArgumentException.class, () -> ClientSplit.parse("skewed"));
    }

    @Test
    void roundsImproveTheAveragedModelAndReportTheirBytes() {
        try (Backend b = new CpuBackend(2)) {
            List<FederatedAveraging.RoundReport> reports = new ArrayList<>();
            FederatedAveraging.Result r = FederatedAveraging.simulate(b, spec(), quarters(320, 3), quarters(200, 4),
                    new FederatedAveraging.Settings(4, 3, 4, ClientSplit.IID, 5), FederatedAveraging.Faults.NONE,
                    null, reports::add);
            assertEquals(3, reports.size());
            assertEquals(reports, r.rounds());
            assertEquals(3, r.parts().size(), "two cells and the head");
            double last = reports.get(2).testAccuracy();
            assertTrue(last > 0.9, "four bright quarters are easy: " + last);
            // down: the cells, the averaged cells and the head; up: the cells and the head (params and moments)
            long cells = FederatedAveraging.bytes(r.parts().subList(0, 2));
            long head = r.parts().get(2).toBytes().length;
            assertEquals(2 * cells + head, reports.get(0).bytesDownPerClient());
            assertEquals(cells + head, reports.get(0).bytesUpPerClient());
            assertEquals(4, reports.get(0).clientsAveraged());
        }
    }

    @Test
    void aFailedClientIsReportedAndTheRoundAveragesTheOthers() {
        try (Backend b = new CpuBackend(1)) {
            Dataset train = quarters(160, 5);
            FederatedAveraging.Settings settings = new FederatedAveraging.Settings(4, 2, 1, ClientSplit.IID, 6);
            List<FederatedAveraging.RoundReport> reports = new ArrayList<>();
            FederatedAveraging.Result r = FederatedAveraging.simulate(b, spec(), train, quarters(50, 6), settings,
                    (round, client) -> round == 1 && client == 2, null, reports::add);
            assertEquals(3, reports.get(0).clientsAveraged());
            assertEquals(List.of("client2 failed in round 1: injected fault"), reports.get(0).failures());
            assertEquals(4, reports.get(1).clientsAveraged());

            // round 1's cells are the sample-weighted mean of the three that trained
            List<int[]> split = ClientSplit.IID.indices(train, 4, 6);
            List<PartState> start = FederatedAveraging.initialParts(b, spec()).subList(0, 2);
            List<List<PartState>> trained = new ArrayList<>();
            List<Long> weights = new ArrayList<>();
            for (int c : new int[] {0, 1, 3}) {
                trained.add(FederatedAveraging.trainCells(b, spec(), start, ClientSplit.subset(train, split.get(c),
                        "c"), 1, FederatedAveraging.clientSeed(6, 1, c)));
                weights.add((long) split.get(c).length);
            }
            List<PartState> expected = FederatedAveraging.average(trained, weights.stream().mapToLong(Long::longValue)
                    .toArray());
            List<FederatedAveraging.RoundReport> one = new ArrayList<>();
            FederatedAveraging.Result firstRound = FederatedAveraging.simulate(b, spec(), train, quarters(50, 6),
                    new FederatedAveraging.Settings(4, 1, 1, ClientSplit.IID, 6),
                    (round, client) -> client == 2, null, one::add);
            assertParts(expected, firstRound.parts().subList(0, 2));
            assertTrue(r.rounds().get(1).testAccuracy() >= 0);
        }
    }

    @Test
    void aRunResumedFromItsRoundCheckpointEndsAsOneNeverStopped(@TempDir Path dir) {
        try (Backend b = new CpuBackend(2)) {
            Dataset train = quarters(160, 7);
            Dataset test = quarters(50, 8);
            FederatedAveraging.Result whole = FederatedAveraging.simulate(b, spec(), train, test,
                    new FederatedAveraging.Settings(3, 3, 1, ClientSplit.LABEL_SKEW, 9), FederatedAveraging.Faults.NONE,
                    null, r -> { });
            Path file = dir.resolve("fed.uff");
            FederatedAveraging.simulate(b, spec(), train, test,
                    new FederatedAveraging.Settings(3, 2, 1, ClientSplit.LABEL_SKEW, 9), FederatedAveraging.Faults.NONE,
                    file, r -> { });
            List<Integer> rounds = new ArrayList<>();
            FederatedAveraging.Result resumed = FederatedAveraging.simulate(b, spec(), train, test,
                    new FederatedAveraging.Settings(3, 3, 1, ClientSplit.LABEL_SKEW, 9), FederatedAveraging.Faults.NONE,
                    file, r -> rounds.add(r.round()));
            assertEquals(List.of(3), rounds, "only the round the checkpoint lacked");
            assertParts(whole.parts(), resumed.parts());

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FederatedAveraging.simulate(b, spec(), train, test,
                            new FederatedAveraging.Settings(4, 3, 1, ClientSplit.LABEL_SKEW, 9),
                            FederatedAveraging.Faults.NONE, file, r -> { }));
            assertEquals(file + ": the checkpoint's run differs from this one: federated.clients 3 (checkpoint) vs 4 "
                    + "(this run)", e.getMessage());
        }
    }

    @Test
    void partStatesTravelAsBytesAndAverageByWeight() {
        ParameterSet.State a = new ParameterSet.State(3, new float[] {1, 2}, new float[] {0, 0}, new float[] {1, 1});
        ParameterSet.State c = new ParameterSet.State(5, new float[] {4, 8}, new float[] {3, 3}, new float[] {1, 4});
        PartState x = new PartState("cell1", Map.of("cell1", a));
        PartState y = new PartState("cell1", Map.of("cell1", c));
        PartState back = PartState.fromBytes(x.toBytes());
        assertEquals("cell1", back.part());
        assertArrayEquals(a.params(), back.groups().get("cell1").params());
        assertEquals(3, back.groups().get("cell1").steps());
        PartState mean = PartState.average(List.of(x, y), new long[] {2, 1});
        ParameterSet.State m = mean.groups().get("cell1");
        assertArrayEquals(new float[] {2, 4}, m.params());
        assertArrayEquals(new float[] {1, 1}, m.m());
        assertArrayEquals(new float[] {1, 2}, m.v());
        assertEquals(5, m.steps(), "the largest step count");
        assertThrows(IllegalArgumentException.class, () -> PartState.fromBytes(new byte[] {1, 2, 3, 4}));
        assertThrows(IllegalArgumentException.class, () -> PartState.average(List.of(x), new long[] {0}));
    }

    @Test
    void aMissingEngineNamesWhatToAdd() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Engines.federated("spark"));
        assertTrue(e.getMessage().startsWith("the spark federated engine is not on the class path: add "
                + "dev.uff4j:uff4j-spark"), e.getMessage());
        assertEquals("local", Engines.pipeline("local").name());
    }

    private static void assertParts(List<PartState> expected, List<PartState> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            PartState e = expected.get(i);
            PartState a = actual.get(i);
            assertEquals(e.groups().keySet(), a.groups().keySet());
            e.groups().forEach((name, s) -> {
                assertArrayEquals(s.params(), a.groups().get(name).params(), name);
                assertArrayEquals(s.m(), a.groups().get(name).m(), name);
                assertArrayEquals(s.v(), a.groups().get(name).v(), name);
                assertEquals(s.steps(), a.groups().get(name).steps(), name);
            });
        }
    }
}
