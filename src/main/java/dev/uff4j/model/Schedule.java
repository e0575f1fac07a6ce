package dev.uff4j.model;

/** How the parts of a UFF model share the epochs. */
public enum Schedule {
    /** Every cell and the head take a step on every mini-batch. */
    PIPELINED,
    /** Cell 1 for all epochs, then cell 2 on cell 1's frozen latents, ..., then the head. */
    GREEDY;

    /**
     * The name on the command line and in checkpoints.
     *
     * @return {@code pipelined} or {@code greedy}
     */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The inverse of {@link #id}.
     *
     * @param s {@code pipelined} or {@code greedy}
     * @return the schedule
     * @throws IllegalArgumentException if {@code s} is neither
     */
    public static Schedule parse(String s) {
        for (Schedule v : values()) {
            if (v.id().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + s + "' (expected pipelined or greedy)");
    }
}
