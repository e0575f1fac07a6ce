package dev.uff4j.spark;

import dev.uff4j.distributed.ClientSplit;
import dev.uff4j.distributed.FederatedAveraging.Faults;
import dev.uff4j.distributed.FederatedAveraging.Result;
import dev.uff4j.distributed.FederatedAveraging.Settings;
import dev.uff4j.distributed.FederatedJob;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engine on a small standalone cluster of its own ({@code local-cluster[2,1,1024]}: a master, two workers and
 * two executor JVMs on this machine): the tasks, the broadcasts and the updates cross processes, as on a real
 * cluster.
 */
class SparkLocalClusterTest {
    @Test
    void runAcrossExecutorJvmsEqualsSimulate() throws Exception {
        // the workers launch executors with $SPARK_HOME/jars/* (empty: see pom.xml) and this JVM's class path
        String home = System.getenv("SPARK_HOME");
        assumeTrue(home != null && System.getenv("SPARK_SCALA_VERSION") != null,
                "needs SPARK_HOME and SPARK_SCALA_VERSION, as the pom's Surefire configuration sets them");
        Files.createDirectories(Path.of(home, "jars"));
        SparkConf conf = new SparkConf().setMaster("local-cluster[2,1,1024]").setAppName("uff4j-spark local cluster")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.task.maxFailures", "2")
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector -Djava.io.tmpdir="
                        + System.getProperty("java.io.tmpdir"));
        Settings s = Fixtures.settings(4, 2, ClientSplit.LABEL_SKEW);
        Faults faults = (round, client) -> round == 2 && client == 3;
        Result actual;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            actual = new SparkFederatedEngine(sc).run(new FederatedJob(Fixtures.spec(), Fixtures.train(),
                    Fixtures.test(), s, null, Map.of("fail-task-once", "1:1"), faults), r -> { });
        }
        Fixtures.assertSame(Fixtures.simulate(s, faults), actual);
        assertEquals(List.of("client3 failed in round 2: injected fault"), actual.rounds().get(1).failures());
    }
}
