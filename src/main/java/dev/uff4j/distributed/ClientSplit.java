package dev.uff4j.distributed;

import dev.uff4j.data.Dataset;
import dev.uff4j.data.Shuffle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * How federated clients share a training set: {@link #IID}, every client a random sample of the whole; or
 * {@link #LABEL_SKEW}, the non-IID split of McMahan et al. (2017): the samples sorted by label and cut into
 * {@code 2 x clients} shards, two random shards per client, so most clients see only two classes.
 */
public enum ClientSplit {
    /** Each client gets a random, equal share. */
    IID,
    /** Each client gets two label-sorted shards: mostly two classes. */
    LABEL_SKEW;

    /**
     * The name on the command line.
     *
     * @return {@code iid} or {@code label-skew}
     */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The inverse of {@link #id}.
     *
     * @param s {@code iid} or {@code label-skew}
     * @return the split
     * @throws IllegalArgumentException for anything else
     */
    public static ClientSplit parse(String s) {
        for (ClientSplit c : values()) {
            if (c.id().equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown client split '" + s + "' (expected iid or label-skew)");
    }

    /**
     * The sample indices of each client: disjoint, together all of {@code train}, sizes within one of each other
     * for {@link #IID}. The same seed gives the same split.
     *
     * @param train   labelled samples
     * @param clients clients, from 1 to {@code train.count() / 2}
     * @param seed    the seed
     * @return one array of sample indices per client, each sorted
     */
    public List<int[]> indices(Dataset train, int clients, long seed) {
        Objects.requireNonNull(train, "train");
        int n = train.count();
        if (clients < 1 || 2L * clients > n) {
            throw new IllegalArgumentException("clients must be in [1, " + n / 2 + "] for " + n + " samples, got "
                    + clients);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<int[]> parts = new ArrayList<>();
        if (this == IID) {
            int[] order = Shuffle.permutation(n, random);
            for (int c = 0; c < clients; c++) {
                int from = (int) ((long) n * c / clients);
                int to = (int) ((long) n * (c + 1) / clients);
                int[] part = Arrays.copyOfRange(order, from, to);
                Arrays.sort(part);
                parts.add(part);
            }
            return parts;
        }
        // stable sort by label: shards hold runs of one or two labels
        int[] labels = train.labels();
        Integer[] byLabel = new Integer[n];
        for (int i = 0; i < n; i++) {
            byLabel[i] = i;
        }
        Arrays.sort(byLabel, (a, b) -> Integer.compare(labels[a], labels[b]));
        int shards = 2 * clients;
        int[] shardOrder = Shuffle.permutation(shards, random);
        for (int c = 0; c < clients; c++) {
            List<Integer> part = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                int s = shardOrder[2 * c + k];
                int from = (int) ((long) n * s / shards);
                int to = (int) ((long) n * (s + 1) / shards);
                for (int i = from; i < to; i++) {
                    part.add(byLabel[i]);
                }
            }
            int[] a = part.stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(a);
            parts.add(a);
        }
        return parts;
    }

    /**
     * The samples of one client as a dataset of its own.
     *
     * @param train   the whole training set
     * @param indices the client's sample indices (from {@link #indices})
     * @param name    the client's name, e.g. {@code client3}
     * @return a copy of those samples, with the training set's shape and classes
     */
    public static Dataset subset(Dataset train, int[] indices, String name) {
        int f = train.features();
        float[] values = new float[indices.length * f];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(train.values(), indices[i] * f, values, i * f, f);
            labels[i] = train.labels()[indices[i]];
        }
        return Dataset.images(train.name() + "/" + name, indices.length, train.channels(), train.height(),
                train.width(), values, labels, train.classes());
    }
}
