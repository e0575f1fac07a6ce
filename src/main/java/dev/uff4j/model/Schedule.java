package dev.uff4j.model;

/** How the parts of a UFF model share the epochs. */
public enum Schedule {
    /** Every cell and the head take a step on every mini-batch. */
    PIPELINED,
    /** Cell 1 for all epochs, then cell 2 on cell 1's frozen latents, ..., then the head. */
    GREEDY,
    /**
     * The pipelined schedule run in parallel: one thread per cell and one for the head, each on a CPU backend of its
     * own, cell {@code i} stepping on batch {@code b} while cell {@code i - 1} steps on batch {@code b + 1}. Each part
     * sees exactly the batches and inputs of the pipelined schedule, so the result is the same, bit for bit.
     */
    PARALLEL;

    /**
     * Whether every part steps on every mini-batch (pipelined or parallel), as opposed to greedy.
     *
     * @return true unless greedy
     */
    public boolean everyPartEveryBatch() {
        return this != GREEDY;
    }

    /**
     * The name on the command line and in checkpoints.
     *
     * @return {@code pipelined}, {@code greedy} or {@code parallel}
     */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The inverse of {@link #id}.
     *
     * @param s {@code pipelined}, {@code greedy} or {@code parallel}
     * @return the schedule
     * @throws IllegalArgumentException if {@code s} is none of them
     */
    public static Schedule parse(String s) {
        for (Schedule v : values()) {
            if (v.id().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + s + "' (expected pipelined, greedy or parallel)");
    }
}
