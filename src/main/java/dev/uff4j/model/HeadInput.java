package dev.uff4j.model;

/** Which latents the classifier head reads. */
public enum HeadInput {
    /** The concatenation of every cell's latent. */
    ALL,
    /** The last cell's latent only. */
    LAST;

    /**
     * The name on the command line and in checkpoints.
     *
     * @return {@code all} or {@code last}
     */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The inverse of {@link #id}.
     *
     * @param s {@code all} or {@code last}
     * @return the head input
     * @throws IllegalArgumentException if {@code s} is neither
     */
    public static HeadInput parse(String s) {
        for (HeadInput v : values()) {
            if (v.id().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown head input '" + s + "' (expected all or last)");
    }
}
