package dev.uff4j.model;

/** How the learning rate of every part changes over a training stage. */
public enum LrSchedule {
    /** The configured rate throughout. */
    CONSTANT,
    /** Cosine decay from the configured rate to zero over the stage's steps. */
    COSINE;

    /**
     * The name on the command line and in checkpoints.
     *
     * @return {@code constant} or {@code cosine}
     */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The factor at step {@code done} of {@code total} (0-based; 1 at the start).
     *
     * @param done  steps taken so far in the stage
     * @param total steps in the stage; 1 is returned when it is 0 or less
     * @return the factor in [0, 1] by which the configured rate is multiplied: always 1 for {@link #CONSTANT};
     *         {@code (1 + cos(pi * done / total)) / 2} for {@link #COSINE}, 0 from {@code done >= total} on
     */
    public float scale(long done, long total) {
        if (this == CONSTANT || total <= 0) {
            return 1f;
        }
        double t = Math.min(1.0, done / (double) total);
        return (float) (0.5 * (1 + Math.cos(Math.PI * t)));
    }

    /**
     * The inverse of {@link #id}.
     *
     * @param s {@code constant} or {@code cosine}
     * @return the schedule
     * @throws IllegalArgumentException if {@code s} is neither
     */
    public static LrSchedule parse(String s) {
        for (LrSchedule v : values()) {
            if (v.id().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + s + "' (expected constant or cosine)");
    }
}
