package dev.uff4j.data;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where the data lives. In order: the {@code --data} value if given, else environment variable {@code UFF4J_DATA},
 * else system property {@code uff4j.data}, else {@code <uff4j.home>/data} when system property {@code uff4j.home} is
 * set (the launcher sets it to the checkout), else {@code ./data}. Blank values count as not set.
 */
public final class DataDirs {
    /** Environment variable naming the data directory, consulted when no {@code --data} value is given. */
    public static final String ENV = "UFF4J_DATA";
    /** System property naming the data directory, consulted when neither {@code --data} nor {@link #ENV} is set. */
    public static final String PROPERTY = "uff4j.data";
    /** System property naming the uff4j installation (set by the launcher); {@code <uff4j.home>/data} is used next. */
    public static final String HOME_PROPERTY = "uff4j.home";

    private DataDirs() {
    }

    /**
     * The chosen directory and the rule that chose it (for a "data: DIR (from ...)" line).
     *
     * @param path the directory as configured (stripped of surrounding blanks, relative if the value was); it may
     *             not exist
     * @param from the rule, for people: {@code --data}, {@code environment variable UFF4J_DATA},
     *             {@code system property uff4j.data}, {@code system property uff4j.home} or {@code default ./data}
     */
    public record DataDir(Path path, String from) {
    }

    /**
     * The data directory; {@code cliValue} is the {@code --data} option, or null when absent.
     *
     * @param cliValue the {@code --data} value; null or blank means not given
     * @return the directory chosen by the first rule that applies; not checked for existence
     */
    public static Path resolve(String cliValue) {
        return explain(cliValue).path();
    }

    /**
     * Like {@link #resolve} but also says which rule chose the directory.
     *
     * @param cliValue the {@code --data} value; null or blank means not given
     * @return the directory and the rule that chose it
     */
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
