package dev.uff4j.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;

import java.net.URISyntaxException;
import java.net.URL;

/**
 * Spark's start-up chatter: when nobody configured Log4j 2 in this JVM (no configuration file, no Spark context
 * before), Spark would load its own defaults at INFO and print some 40 lines as the context starts. This loads the
 * same defaults at a quieter level first. A configured JVM is left alone.
 */
final class SparkLogs {
    private static final String SPARK_DEFAULTS = "org/apache/spark/log4j2-defaults.properties";

    private SparkLogs() {
    }

    /**
     * Loads Spark's default logging at {@code level} if Log4j 2 is unconfigured; does nothing otherwise, or when
     * Log4j 2's core is not the logging back end.
     *
     * @param level e.g. {@code WARN}
     */
    static void quietDefaults(String level) {
        try {
            if (!(LogManager.getContext(false) instanceof LoggerContext context)
                    || !(context.getConfiguration() instanceof DefaultConfiguration)) {
                return;
            }
            URL defaults = SparkLogs.class.getClassLoader().getResource(SPARK_DEFAULTS);
            if (defaults == null) {
                return;
            }
            context.setConfigLocation(defaults.toURI());
            Configurator.setRootLevel(Level.toLevel(level, Level.WARN));
        } catch (LinkageError | RuntimeException | URISyntaxException e) {
            // another logging back end, or another Log4j: Spark's logging as it is
        }
    }
}
