package dev.uff4j.train;

import dev.uff4j.model.ParameterSet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The training state of one part of a model, a cell or the head: each of its parameter groups' parameters, AdamW
 * moments and step count. It is what a part hands between threads, processes or machines (as bytes: {@link #toBytes},
 * {@link #fromBytes}) and what federated averaging averages ({@link #average}).
 *
 * @param part   the part's name: {@code cell1}, ... or {@code head}
 * @param groups its parameter groups by name (a GAN cell has two), in the model's order
 */
public record PartState(String part, Map<String, ParameterSet.State> groups) {
    private static final int MAGIC = 0x55464650; // "UFFP"

    /**
     * Copies the map (keeping its order).
     *
     * @param part   the part's name
     * @param groups its groups, at least one
     */
    public PartState {
        Objects.requireNonNull(part, "part");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(part + ": a part has at least one parameter group");
        }
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /**
     * Parameters in all groups.
     *
     * @return the number of parameters
     */
    public long parameterCount() {
        long n = 0;
        for (ParameterSet.State s : groups.values()) {
            n += s.params().length;
        }
        return n;
    }

    /**
     * The state as bytes (big-endian): what a part sends over the wire, three floats per parameter.
     *
     * @return a new array
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8,
                12 * parameterCount() + 64));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeUTF(part);
            out.writeInt(groups.size());
            for (Map.Entry<String, ParameterSet.State> g : groups.entrySet()) {
                out.writeUTF(g.getKey());
                ParameterSet.State s = g.getValue();
                out.writeInt(s.steps());
                out.writeInt(s.params().length);
                for (float[] values : List.of(s.params(), s.m(), s.v())) {
                    byte[] raw = new byte[4 * values.length];
                    ByteBuffer.wrap(raw).asFloatBuffer().put(values); // big-endian, as DataOutputStream writes
                    out.write(raw);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The inverse of {@link #toBytes}.
     *
     * @param bytes what {@link #toBytes} wrote
     * @return the state
     * @throws IllegalArgumentException if the bytes are not a part's state
     */
    public static PartState fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a part state: wrong magic number");
            }
            String part = in.readUTF();
            int count = in.readInt();
            Map<String, ParameterSet.State> groups = new LinkedHashMap<>();
            for (int g = 0; g < count; g++) {
                String name = in.readUTF();
                int steps = in.readInt();
                int n = in.readInt();
                if (n < 0 || 12L * n > bytes.length) {
                    throw new IllegalArgumentException("not a part state: group " + name + " claims " + n
                            + " parameters in " + bytes.length + " bytes");
                }
                float[][] values = new float[3][n];
                byte[] raw = new byte[4 * n];
                for (float[] v : values) {
                    in.readFully(raw);
                    ByteBuffer.wrap(raw).asFloatBuffer().get(v);
                }
                groups.put(name, new ParameterSet.State(steps, values[0], values[1], values[2]));
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException("not a part state: bytes after its last group");
            }
            return new PartState(part, groups);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a part state: " + e, e);
        }
    }

    /**
     * The weighted mean of several states of the same part (federated averaging): each parameter, and each AdamW
     * moment, is the mean of the states' values weighted by {@code weights} (e.g. each client's sample count),
     * summed in double; the step count is the largest of the states' (so bias correction does not restart).
     *
     * @param states  states of one part, all with the same groups and sizes
     * @param weights one positive weight per state
     * @return the averaged state
     * @throws IllegalArgumentException if the states do not match or a weight is not positive
     */
    public static PartState average(List<PartState> states, long[] weights) {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(weights, "weights");
        if (states.isEmpty() || states.size() != weights.length) {
            throw new IllegalArgumentException("average: " + states.size() + " states and " + weights.length
                    + " weights; expected as many, at least one");
        }
        double total = 0;
        for (long w : weights) {
            if (w <= 0) {
                throw new IllegalArgumentException("average: weights must be positive, got " + Arrays.toString(weights));
            }
            total += w;
        }
        PartState first = states.get(0);
        Map<String, ParameterSet.State> groups = new LinkedHashMap<>();
        for (Map.Entry<String, ParameterSet.State> g : first.groups().entrySet()) {
            int n = g.getValue().params().length;
            List<ParameterSet.State> all = new ArrayList<>();
            for (PartState s : states) {
                ParameterSet.State x = s.groups().get(g.getKey());
                if (!s.part().equals(first.part()) || x == null || x.params().length != n
                        || s.groups().size() != first.groups().size()) {
                    throw new IllegalArgumentException("average: states of different parts or shapes: "
                            + first.part() + " and " + s.part());
                }
                all.add(x);
            }
            int steps = 0;
            for (ParameterSet.State x : all) {
                steps = Math.max(steps, x.steps());
            }
            groups.put(g.getKey(), new ParameterSet.State(steps, mean(all, weights, total, 0),
                    mean(all, weights, total, 1), mean(all, weights, total, 2)));
        }
        return new PartState(first.part(), groups);
    }

    /** The weighted mean of component {@code which} (0 params, 1 m, 2 v) of every state, in double. */
    private static float[] mean(List<ParameterSet.State> all, long[] weights, double total, int which) {
        int n = all.get(0).params().length;
        double[] sum = new double[n];
        for (int k = 0; k < all.size(); k++) {
            ParameterSet.State s = all.get(k);
            float[] v = which == 0 ? s.params() : which == 1 ? s.m() : s.v();
            double w = weights[k] / total;
            for (int i = 0; i < n; i++) {
                sum[i] += w * v[i];
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) sum[i];
        }
        return out;
    }
}
