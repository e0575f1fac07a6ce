package dev.uff4j.model;

/** How the learning rate of every part changes over a training stage. */
public enum LrSchedule {
    /** The configured rate throughout. */
    CONSTANT,
    /** Cosine decay from the configured rate to zero over the stage's steps. */
    COSINE;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The factor at step {@code done} of {@code total} (0-based; 1 at the start). */
    public float scale(long done, long total) {
        if (this == CONSTANT || total <= 0) {
            return 1f;
        }
        double t = Math.min(1.0, done / (double) total);
        return (float) (0.5 * (1 + Math.cos(Math.PI * t)));
    }

    public static LrSchedule parse(String s) {
        for (LrSchedule v : values()) {
            if (v.id().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + s + "' (expected constant or cosine)");
    }
}
