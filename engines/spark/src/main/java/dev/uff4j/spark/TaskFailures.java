package dev.uff4j.spark;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Task attempts to kill, for tests of Spark's retries: the {@code fail-task-once} option, a comma-separated list of
 * {@code ROUND:CLIENT} (the cell phase) or {@code ROUND:CLIENT:head} (the head phase). The first attempt of that
 * client's task in that round and phase throws outside the client's work, so Spark runs it again; with
 * {@code local[N]} (no retry) or {@code spark.task.maxFailures=1} the job fails.
 */
record TaskFailures(Set<String> entries) {
    /** None. */
    static final TaskFailures NONE = new TaskFailures(Set.of());

    TaskFailures {
        entries = Set.copyOf(entries);
    }

    /**
     * Parses the option.
     *
     * @param value e.g. {@code 2:1,3:0:head}; null or blank for none
     * @return the failures
     * @throws IllegalArgumentException if an entry is malformed
     */
    static TaskFailures parse(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        Set<String> entries = new HashSet<>();
        for (String e : value.split(",")) {
            String[] f = e.strip().split(":");
            try {
                if (f.length < 2 || f.length > 3 || (f.length == 3 && !f[2].equals("head") && !f[2].equals("cells"))) {
                    throw new NumberFormatException();
                }
                int round = Integer.parseInt(f[0]);
                int client = Integer.parseInt(f[1]);
                ClientPhase.Kind kind = f.length == 3 && f[2].equals("head") ? ClientPhase.Kind.HEAD
                        : ClientPhase.Kind.CELLS;
                entries.add(key(round, client, kind));
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("fail-task-once: expected ROUND:CLIENT or ROUND:CLIENT:head, got '"
                        + e.strip() + "'");
            }
        }
        return new TaskFailures(entries);
    }

    /**
     * The clients whose task dies once in this round and phase.
     *
     * @param round the round
     * @param kind  the phase
     * @return client numbers
     */
    Set<Integer> clients(int round, ClientPhase.Kind kind) {
        Set<Integer> out = new HashSet<>();
        String prefix = round + ":";
        String suffix = ":" + kind.name().toLowerCase(Locale.ROOT);
        for (String e : entries) {
            if (e.startsWith(prefix) && e.endsWith(suffix)) {
                out.add(Integer.parseInt(e.substring(prefix.length(), e.length() - suffix.length())));
            }
        }
        return out;
    }

    private static String key(int round, int client, ClientPhase.Kind kind) {
        return round + ":" + client + ":" + kind.name().toLowerCase(Locale.ROOT);
    }
}
