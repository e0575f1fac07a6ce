package dev.uff4j.data;

import java.nio.file.Path;

/**
 * A problem with a data file or with fetching one. The message is always one line, naming the file (where there is
 * one), what was wrong and what was expected, so that a command-line tool can print it as it is.
 */
public class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * {@code "<file>: <problem>"}.
     *
     * @param file    the data file concerned
     * @param problem what was wrong and what was expected, e.g. {@code "missing; run '...'"}
     */
    public DataException(Path file, String problem) {
        this(file + ": " + problem);
    }

    /**
     * {@code "<file>: <problem>"}, with the failure that caused it.
     *
     * @param file    the data file concerned
     * @param problem what was wrong and what was expected
     * @param cause   the underlying failure, e.g. an {@link java.io.IOException}; may be null
     */
    public DataException(Path file, String problem, Throwable cause) {
        this(file + ": " + problem, cause);
    }

    /**
     * An exception with {@code message} made one line.
     *
     * @param message the message; it is stripped and its line breaks become single spaces (null becomes empty)
     */
    public DataException(String message) {
        super(oneLine(message));
    }

    /**
     * An exception with {@code message} made one line and the failure that caused it.
     *
     * @param message the message; it is stripped and its line breaks become single spaces (null becomes empty)
     * @param cause   the underlying failure; may be null
     */
    public DataException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Folds line breaks (from a tool's output, say) into spaces so the message stays one line. */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        return s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
