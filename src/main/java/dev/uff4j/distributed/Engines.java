package dev.uff4j.distributed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Finds the engines that run cells apart: the built-in {@code local} ones and those on the class path
 * ({@link ServiceLoader}: {@code META-INF/services/dev.uff4j.distributed.PipelineEngine} and {@code ...FederatedEngine}).
 * An engine that is not there is a one-line error naming what to add.
 */
public final class Engines {
    /** Where each known engine comes from, for the error when it is missing. */
    private static final Map<String, String> MODULES = Map.of(
            "flink", "dev.uff4j:uff4j-flink (engines/flink: mvn -f engines/flink/pom.xml package) with Flink 2.3's "
                    + "jars",
            "spark", "dev.uff4j:uff4j-spark (engines/spark: mvn -f engines/spark/pom.xml package) with Spark 4.2's "
                    + "jars (Scala 2.13)");

    private Engines() {
    }

    /**
     * The layer-pipeline engine of that name.
     *
     * @param name {@code local}, or an engine on the class path such as {@code flink}
     * @return the engine
     * @throws IllegalStateException if no such engine is on the class path, naming the module to add
     */
    public static PipelineEngine pipeline(String name) {
        if (name.equals("local")) {
            return new LocalPipelineEngine();
        }
        List<String> found = new ArrayList<>(List.of("local"));
        for (PipelineEngine e : ServiceLoader.load(PipelineEngine.class, Engines.class.getClassLoader())) {
            if (e.name().equals(name)) {
                return e;
            }
            found.add(e.name());
        }
        throw missing("pipeline", name, found);
    }

    /**
     * The federated engine of that name.
     *
     * @param name {@code local}, or an engine on the class path such as {@code spark}
     * @return the engine
     * @throws IllegalStateException if no such engine is on the class path, naming the module to add
     */
    public static FederatedEngine federated(String name) {
        if (name.equals("local")) {
            return new LocalFederatedEngine();
        }
        List<String> found = new ArrayList<>(List.of("local"));
        for (FederatedEngine e : ServiceLoader.load(FederatedEngine.class, Engines.class.getClassLoader())) {
            if (e.name().equals(name)) {
                return e;
            }
            found.add(e.name());
        }
        throw missing("federated", name, found);
    }

    private static IllegalStateException missing(String kind, String name, List<String> found) {
        String module = MODULES.get(name);
        return new IllegalStateException("the " + name + " " + kind + " engine is not on the class path"
                + (module == null ? "" : ": add " + module) + "; engines here: " + String.join(", ", found));
    }
}
