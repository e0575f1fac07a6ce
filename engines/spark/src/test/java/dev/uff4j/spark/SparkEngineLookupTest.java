package dev.uff4j.spark;

import dev.uff4j.distributed.ClientSplit;
import dev.uff4j.distributed.Engines;
import dev.uff4j.distributed.FederatedAveraging.Faults;
import dev.uff4j.distributed.FederatedAveraging.Result;
import dev.uff4j.distributed.FederatedAveraging.Settings;
import dev.uff4j.distributed.FederatedEngine;
import dev.uff4j.distributed.FederatedJob;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine as the command line finds it ({@link Engines#federated}), starting and stopping its own context. */
class SparkEngineLookupTest {
    @Test
    void engineIsFoundByNameAndRunsOnItsOwnContext() throws Exception {
        FederatedEngine engine = Engines.federated("spark");
        assertInstanceOf(SparkFederatedEngine.class, engine);
        assertEquals("spark", engine.name());
        Settings s = Fixtures.settings(2, 1, ClientSplit.IID);
        Result r = engine.run(new FederatedJob(Fixtures.spec(), Fixtures.train(), Fixtures.test(), s, null,
                Map.of("master", "local[2,2]", "threads", "1"), Faults.NONE), round -> { });
        Fixtures.assertSame(Fixtures.simulate(s, Faults.NONE), r);
        // the engine stopped the context it started: a new one can start, and it is not the engine's
        SparkContext probe = SparkContext.getOrCreate(new SparkConf().setMaster("local[1]").setAppName("probe")
                .set("spark.driver.host", "127.0.0.1").set("spark.ui.enabled", "false"));
        try {
            assertEquals("probe", probe.appName());
            assertNotEquals("", probe.getConf().get("spark.app.id", ""));
        } finally {
            probe.stop();
        }
    }

    @Test
    void unknownOptionIsRejectedBeforeSparkStarts() {
        FederatedEngine engine = Engines.federated("spark");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.run(
                new FederatedJob(Fixtures.spec(), Fixtures.train(), Fixtures.test(), Fixtures.settings(2, 1,
                        ClientSplit.IID), null, Map.of("masetr", "local[2]"), Faults.NONE), round -> { }));
        assertTrue(e.getMessage().contains("masetr") && e.getMessage().contains("master"), e.getMessage());
    }
}
