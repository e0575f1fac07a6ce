package dev.uff4j.checkpoint;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The contents of a checkpoint: the model configuration as ordered string pairs and the named tensors, as read by
 * {@link CheckpointFile#read}.
 *
 * @param formatVersion the layout version the file was written with
 * @param config        unmodifiable, in the order the entries were written
 * @param tensors       unmodifiable, in the order they were written; names are unique
 */
public record Checkpoint(int formatVersion, Map<String, String> config, List<NamedTensor> tensors) {

    /**
     * Copies {@code config} (keeping its order) and {@code tensors} into unmodifiable collections.
     *
     * @param formatVersion the layout version the content was read with or is meant for
     * @param config        the configuration; iteration order is kept
     * @param tensors       the tensors, in order; names must be unique
     * @throws NullPointerException     when {@code config}, {@code tensors} or a config key or value is null
     * @throws IllegalArgumentException when two tensors share a name
     */
    public Checkpoint {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tensors, "tensors");
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        config.forEach((k, v) -> copy.put(
                Objects.requireNonNull(k, "config key"),
                Objects.requireNonNull(v, () -> "value of config key '" + k + "'")));
        config = Collections.unmodifiableMap(copy);
        tensors = List.copyOf(tensors);
        Set<String> names = new HashSet<>();
        for (NamedTensor t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
            }
        }
    }

    /**
     * The tensor called {@code name}.
     *
     * @param name the tensor's name, e.g. {@code cell1/encoder.weight}
     * @return the tensor itself, not a copy: its data array is shared with this checkpoint
     * @throws CheckpointException naming the missing tensor and the tensors the checkpoint holds
     */
    public NamedTensor tensor(String name) {
        for (NamedTensor t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new CheckpointException("checkpoint has no tensor '" + name + "'; it holds "
                + summarize(tensors.stream().map(NamedTensor::name).collect(Collectors.toList()), "tensors"));
    }

    /**
     * The configuration value for {@code key}.
     *
     * @param key the configuration key, e.g. {@code dataset}
     * @return the value as written, never null
     * @throws CheckpointException naming the missing key and the keys the checkpoint holds
     */
    public String config(String key) {
        String value = config.get(key);
        if (value == null) {
            throw new CheckpointException("checkpoint has no config key '" + key + "'; it holds "
                    + summarize(List.copyOf(config.keySet()), "keys"));
        }
        return value;
    }

    /**
     * Whether a tensor called {@code name} is present; {@link #tensor} throws when it is not.
     *
     * @param name the tensor's name
     * @return true when the checkpoint holds a tensor of that name
     */
    public boolean hasTensor(String name) {
        return tensors.stream().anyMatch(t -> t.name().equals(name));
    }

    private static String summarize(List<String> names, String what) {
        if (names.isEmpty()) {
            return "no " + what;
        }
        int shown = Math.min(names.size(), 20);
        String list = names.subList(0, shown).stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return names.size() + " " + what + ": " + list + (shown < names.size() ? ", ..." : "");
    }
}
