package dev.uff4j.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The engine's options, the test-only task failures and spark-submit's command line; no Spark context. */
class OptionsTest {
    @Test
    void confDefaultsToLocalWithoutUiAndTakesSparkSettings() {
        SparkConf c = SparkFederatedEngine.conf(Map.of("threads", "3", "spark.executor.memory", "2g"), 3, "t");
        assertEquals("local[3]", c.get("spark.master"));
        assertEquals("127.0.0.1", c.get("spark.driver.host"));
        assertEquals("false", c.get("spark.ui.enabled"));
        assertEquals("2g", c.get("spark.executor.memory"));
        assertEquals("uff4j federated", c.get("spark.app.name"));
        assertEquals("local[*]", SparkFederatedEngine.conf(Map.of(), 0, "t").get("spark.master"));
        SparkConf cluster = SparkFederatedEngine.conf(Map.of("master", "spark://h:7077", "app-name", "x"), 2, "t");
        assertEquals("spark://h:7077", cluster.get("spark.master"));
        assertEquals("x", cluster.get("spark.app.name"));
        assertEquals("", cluster.get("spark.driver.host", ""), "a cluster's driver host is left to Spark");
    }

    @Test
    void taskFailuresParse() {
        TaskFailures f = TaskFailures.parse("2:1, 3:0:head,2:4:cells");
        assertEquals(Set.of(1, 4), f.clients(2, ClientPhase.Kind.CELLS));
        assertEquals(Set.of(), f.clients(2, ClientPhase.Kind.HEAD));
        assertEquals(Set.of(0), f.clients(3, ClientPhase.Kind.HEAD));
        assertEquals(Set.of(), TaskFailures.parse(null).clients(1, ClientPhase.Kind.CELLS));
        for (String bad : List.of("1", "a:2", "1:2:tail", "1:2:3:4")) {
            assertThrows(IllegalArgumentException.class, () -> TaskFailures.parse(bad), bad);
        }
    }

    @Test
    void sparkSubmitCommandLineAddsTheEngineAndMaster() {
        assertArrayEquals(new String[]{"federated", "--engine", "spark", "--master", "spark://h:7077", "--rounds", "2"},
                SparkFederatedMain.commandLine(new String[]{"--rounds", "2"}, "spark://h:7077"));
        assertArrayEquals(new String[]{"federated", "--engine", "spark", "--master", "local[2]"},
                SparkFederatedMain.commandLine(new String[]{"--master", "local[2]"}, "spark://h:7077"));
        assertArrayEquals(new String[]{"federated", "--engine", "spark"},
                SparkFederatedMain.commandLine(new String[0], null));
        assertThrows(IllegalArgumentException.class,
                () -> SparkFederatedMain.commandLine(new String[]{"--engine", "local"}, null));
    }
}
