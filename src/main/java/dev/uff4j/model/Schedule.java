package dev.uff4j.model;

/** How the parts of a UFF model share the epochs. */
public enum Schedule {
    /** Every cell and the head take a step on every mini-batch. */
    PIPELINED,
    /** Cell 1 for all epochs, then cell 2 on cell 1's frozen latents, ..., then the head. */
    GREEDY;

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Schedule parse(String s) {
        for (Schedule v : values()) {
            if (v.id().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + s + "' (expected pipelined or greedy)");
    }
}
