package dev.uff4j.cli;

import dev.uff4j.io.AtomicFile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer for reports: maps (in their iteration order), lists, strings, numbers, booleans and null.
 * Non-finite numbers become null, since JSON has no NaN.
 */
final class Json {
    private Json() {
    }

    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.append('\n').toString();
    }

    /** Writes {@code value} to {@code file} atomically ({@link AtomicFile}). */
    static void writeFile(Path file, Object value) {
        writeText(file, write(value));
    }

    /**
     * Writes {@code text} (UTF-8) to {@code file} atomically ({@link AtomicFile}), so a reader never sees half a
     * report. The temporary file is created like any other (permissions from the umask), not by
     * {@code createTempFile}, which would make the report readable by its owner only.
     */
    static void writeText(Path file, String text) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(file, channel -> {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        });
    }

    private static void write(StringBuilder b, Object v, int indent) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            b.append(Double.isFinite(d) ? number(d) : "null");
        } else if (v instanceof Number) {
            b.append(v);
        } else if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                b.append("{}");
                return;
            }
            b.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                pad(b, indent + 2);
                string(b, String.valueOf(e.getKey()));
                b.append(": ");
                write(b, e.getValue(), indent + 2);
                b.append(++i < map.size() ? ",\n" : "\n");
            }
            pad(b, indent);
            b.append('}');
        } else if (v instanceof List<?> list) {
            boolean flat = list.stream().noneMatch(x -> x instanceof Map || x instanceof List);
            if (flat) {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    write(b, list.get(i), indent);
                    if (i + 1 < list.size()) {
                        b.append(", ");
                    }
                }
                b.append(']');
                return;
            }
            b.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                pad(b, indent + 2);
                write(b, list.get(i), indent + 2);
                b.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            pad(b, indent);
            b.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    /** Shortest form that reads back as the same double; integers without a fraction. */
    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static void pad(StringBuilder b, int n) {
        b.append(" ".repeat(n));
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
