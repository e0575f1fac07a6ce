package dev.uff4j.model;

/** Derives independent seeds for the parts of a model from one user seed, so adding a part changes no other. */
public final class Seeds {
    private Seeds() {
    }

    /**
     * The seed of one part: a hash (SplitMix64's mixing) of the user seed, the part's name and its index, so equal
     * inputs always give the same seed and different parts practically never share one.
     *
     * @param seed  the user seed ({@link ModelSpec#seed})
     * @param part  what the seed is for, e.g. {@code cell} or {@code head}
     * @param index which of several such parts (0-based; 0 for a single one)
     * @return the derived seed
     */
    public static long derive(long seed, String part, int index) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (int i = 0; i < part.length(); i++) {
            h = mix(h + part.charAt(i));
        }
        return mix(h + index);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
