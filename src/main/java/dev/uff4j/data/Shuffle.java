package dev.uff4j.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The one shuffle every part of uff4j uses (the trainer's epoch order, {@link Dataset#shuffle}, federated client
 * splits), so that a seed means the same order everywhere and a run can be replayed from its seed.
 */
public final class Shuffle {
    private Shuffle() {
    }

    /**
     * Fills {@code order} with 0, 1, ..., n-1 and shuffles it by Fisher-Yates, drawing {@code n - 1} numbers from
     * {@code random}: {@code for i = n-1 down to 1: swap(i, random.nextInt(i + 1))}.
     *
     * @param order  the array to fill, its length the number of items
     * @param random the stream to draw from (advanced by {@code n - 1} draws)
     */
    public static void permutation(int[] order, SplittableRandom random) {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(random, "random");
        int n = order.length;
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /**
     * A new shuffled order of {@code n} items.
     *
     * @param n      the number of items
     * @param random the stream to draw from
     * @return a permutation of 0 .. n-1
     */
    public static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        permutation(order, random);
        return order;
    }
}
