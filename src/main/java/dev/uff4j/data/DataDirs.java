package dev.uff4j.data;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where the data lives. In order: the {@code --data} value if given, else environment variable {@code UFF4J_DATA},
 * else system property {@code uff4j.data}, else {@code <uff4j.home>/data} when system property {@code uff4j.home} is
 * set (the launcher sets it to the checkout), else {@code ./data}. Blank values count as not set.
 */
public final class DataDirs {
    public static final String ENV = "UFF4J_DATA";
    public static final String PROPERTY = "uff4j.data";
    public static final String HOME_PROPERTY = "uff4j.home";

    private DataDirs() {
    }

    /** The chosen directory and the rule that chose it (for a "data: DIR (from ...)" line). */
    public record DataDir(Path path, String from) {
    }

    /** The data directory; {@code cliValue} is the {@code --data} option, or null when absent. */
    public static Path resolve(String cliValue) {
        return explain(cliValue).path();
    }

    /** Like {@link #resolve} but also says which rule chose the directory. */
    public static DataDir explain(String cliValue) {
        return explain(cliValue, System::getenv, System::getProperty);
    }

    static DataDir explain(String cliValue, UnaryOperator<String> env, UnaryOperator<String> properties) {
        if (isSet(cliValue)) {
            return new DataDir(Path.of(cliValue.strip()), "--data");
        }
        String fromEnv = env.apply(ENV);
        if (isSet(fromEnv)) {
            return new DataDir(Path.of(fromEnv.strip()), "environment variable " + ENV);
        }
        String fromProperty = properties.apply(PROPERTY);
        if (isSet(fromProperty)) {
            return new DataDir(Path.of(fromProperty.strip()), "system property " + PROPERTY);
        }
        String home = properties.apply(HOME_PROPERTY);
        if (isSet(home)) {
            return new DataDir(Path.of(home.strip()).resolve("data"), "system property " + HOME_PROPERTY);
        }
        return new DataDir(Path.of("data"), "default ./data");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
