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

    /** True when a tensor called {@code name} is present. */
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
