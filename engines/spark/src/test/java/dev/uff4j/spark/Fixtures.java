package dev.uff4j.spark;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.data.DataDirs;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.distributed.ClientSplit;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.FederatedAveraging.Faults;
import dev.uff4j.distributed.FederatedAveraging.Result;
import dev.uff4j.distributed.FederatedAveraging.RoundReport;
import dev.uff4j.distributed.FederatedAveraging.Settings;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tests' data, model and reference runs. */
final class Fixtures {
    /** MNIST's first 3000 training samples and first 1000 test samples, read once. */
    private static DataSplit mnist;

    private Fixtures() {
    }

    static synchronized DataSplit mnist() {
        if (mnist == null) {
            Path dir = DataDirs.resolve(null);
            DataSplit all = Datasets.load(DatasetId.MNIST, dir);
            mnist = new DataSplit(all.train().head(3000), all.test().head(1000));
        }
        return mnist;
    }

    static Dataset train() {
        return mnist().train();
    }

    static Dataset test() {
        return mnist().test();
    }

    /** A small DAE: two cells of 32 units. */
    static ModelSpec spec() {
        return new ModelSpecBuilder(ModelKind.DAE, 784, 10).cells(2).hidden(32).batch(64).seed(3)
                .lrSchedule(LrSchedule.CONSTANT).build();
    }

    static Settings settings(int clients, int rounds, ClientSplit split) {
        return new Settings(clients, rounds, 1, split, 11);
    }

    /** The reference: every client in turn in this process, on a CPU backend of one thread. */
    static Result simulate(Settings settings, Faults faults) {
        try (Backend b = BackendFactory.open(BackendOptions.cpu().threads(1), line -> { })) {
            return FederatedAveraging.simulate(b, spec(), train(), test(), settings, faults, null, r -> { });
        }
    }

    /** A fresh directory under java.io.tmpdir (target/tmp in this build). */
    static Path tempDir(String prefix) {
        try {
            Path tmp = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(tmp, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same states, bit for bit. */
    static void assertSameParts(Result expected, Result actual) {
        assertEquals(expected.parts().size(), actual.parts().size(), "parts");
        for (int i = 0; i < expected.parts().size(); i++) {
            assertEquals(expected.parts().get(i).part(), actual.parts().get(i).part());
            assertArrayEquals(expected.parts().get(i).toBytes(), actual.parts().get(i).toBytes(),
                    "state of " + expected.parts().get(i).part());
        }
    }

    /** Same rounds: accuracy to the bit, bytes, clients averaged and failures (not the time). */
    static void assertSameRounds(Result expected, Result actual) {
        assertEquals(expected.rounds().size(), actual.rounds().size(), "rounds");
        for (int i = 0; i < expected.rounds().size(); i++) {
            RoundReport e = expected.rounds().get(i);
            RoundReport a = actual.rounds().get(i);
            assertEquals(e.round(), a.round(), "round");
            assertEquals(e.testAccuracy(), a.testAccuracy(), 0.0, "accuracy of round " + e.round());
            assertEquals(e.bytesDownPerClient(), a.bytesDownPerClient(), "bytes down, round " + e.round());
            assertEquals(e.bytesUpPerClient(), a.bytesUpPerClient(), "bytes up, round " + e.round());
            assertEquals(e.clientsAveraged(), a.clientsAveraged(), "clients averaged, round " + e.round());
            assertEquals(e.failures(), a.failures(), "failures, round " + e.round());
        }
    }

    static void assertSame(Result expected, Result actual) {
        assertSameRounds(expected, actual);
        assertSameParts(expected, actual);
    }
}
