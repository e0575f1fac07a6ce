package dev.uff4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DataDirsTest {
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> props = new HashMap<>();

    private DataDirs.DataDir explain(String cli) {
        return DataDirs.explain(cli, env::get, props::get);
    }

    @Test
    void precedenceIsCliThenEnvironmentThenPropertyThenHomeThenDefault() {
        assertEquals(new DataDirs.DataDir(Path.of("data"), "default ./data"), explain(null));

        props.put("uff4j.home", "/opt/uff4j");
        assertEquals(Path.of("/opt/uff4j/data"), explain(null).path());
        assertEquals("system property uff4j.home", explain(null).from());

        props.put("uff4j.data", "/srv/props");
        assertEquals(Path.of("/srv/props"), explain(null).path());

        env.put("UFF4J_DATA", "/srv/env");
        assertEquals(Path.of("/srv/env"), explain(null).path());
        assertEquals("environment variable UFF4J_DATA", explain(null).from());

        assertEquals(new DataDirs.DataDir(Path.of("cli/dir"), "--data"), explain("cli/dir"));
    }

    @Test
    void blankValuesCountAsUnset() {
        env.put("UFF4J_DATA", "  ");
        props.put("uff4j.data", "");
        props.put("uff4j.home", "/home/u/uff4j");
        assertEquals(Path.of("/home/u/uff4j/data"), explain(" ").path());
    }

    @Test
    void publicResolveUsesTheCliValueFirst() {
        assertEquals(Path.of("/given"), DataDirs.resolve("/given"));
    }

    @Test
    void publicResolveReadsTheRealEnvironmentAndProperties() {
        String env = System.getenv("UFF4J_DATA");
        if (env != null && !env.isBlank()) {
            assertEquals(Path.of(env.strip()), DataDirs.resolve(null));
            return;
        }
        String property = System.getProperty("uff4j.data"); // surefire sets it to <repo>/data
        Assumptions.assumeTrue(property != null && !property.isBlank(),
                "neither UFF4J_DATA nor -Duff4j.data is set in this run");
        assertEquals(Path.of(property.strip()), DataDirs.resolve(null));
        assertEquals("system property uff4j.data", DataDirs.explain(null).from());
    }
}
