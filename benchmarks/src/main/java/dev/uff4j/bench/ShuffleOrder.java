package dev.uff4j.bench;

import dev.uff4j.data.Shuffle;
import dev.uff4j.model.Seeds;

import java.util.SplittableRandom;

/**
 * Prints the first indices of the first epoch's sample order that uff4j's trainer draws for a seed and a training
 * set size, so that {@code scripts/compare-cpu.sh} can check that the PyTorch side (benchmarks/pytorch_uff.py,
 * {@code --order uff4j}) trains on the same order. Usage: {@code ShuffleOrder SEED N}.
 */
public final class ShuffleOrder {
    private ShuffleOrder() {
    }

    public static void main(String[] args) {
        long seed = Long.parseLong(args[0]);
        int n = Integer.parseInt(args[1]);
        int[] order = Shuffle.permutation(n, new SplittableRandom(Seeds.derive(seed, "shuffle", 0)));
        StringBuilder b = new StringBuilder("order");
        for (int i = 0; i < Math.min(8, n); i++) {
            b.append(' ').append(order[i]);
        }
        System.out.println(b);
    }
}
