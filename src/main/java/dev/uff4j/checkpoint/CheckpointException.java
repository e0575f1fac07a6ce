package dev.uff4j.checkpoint;

/**
 * A checkpoint could not be read or written, or a lookup in a loaded checkpoint failed.
 *
 * <p>The message is always a single line (line breaks are replaced by spaces) so that it fits a log line or a
 * command-line error. Messages from {@link CheckpointFile} start with the file path, then say what was wrong and what
 * was expected.
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message made one line.
     *
     * @param message what went wrong; line breaks become spaces, null stays null
     */
    public CheckpointException(String message) {
        super(oneLine(message));
    }

    /**
     * Creates the exception with a message made one line and the failure that caused it.
     *
     * @param message what went wrong; line breaks become spaces, null stays null
     * @param cause   the underlying failure, e.g. the {@link java.io.IOException} of a read; may be null
     */
    public CheckpointException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : message.replaceAll("\\R", " ");
    }
}
