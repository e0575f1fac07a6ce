package dev.uff4j.io;

import java.io.Serial;

/** A file that could not be written; the one-line message names the file the user asked for and why. */
public final class OutputException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
