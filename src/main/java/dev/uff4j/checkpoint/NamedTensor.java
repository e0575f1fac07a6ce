package dev.uff4j.checkpoint;

import java.util.Objects;

/**
 * A named row-major float32 matrix as stored in a checkpoint.
 *
 * <p>{@code data} is not copied: a model holds up to tens of millions of floats and a checkpoint must not double
 * them. Do not modify the array while the tensor is being written. {@link #equals} compares the elements bit by bit
 * (raw IEEE 754 bits), so NaN payloads and {@code -0.0f} count.
 *
 * @param name printable ASCII (0x20 to 0x7E), non-empty, without {@code '='}
 * @param rows at least 1
 * @param cols at least 1
 * @param data exactly {@code rows * cols} elements, row-major
 */
public record NamedTensor(String name, int rows, int cols, float[] data) {

    /**
     * Validates the name and shape; {@code data} is kept as given, not copied.
     *
     * @param name printable ASCII, non-empty, without {@code '='}
     * @param rows at least 1
     * @param cols at least 1
     * @param data exactly {@code rows * cols} elements, row-major
     * @throws IllegalArgumentException when the name is invalid (null included), a dimension is below 1 or
     *                                  {@code data} does not hold exactly {@code rows * cols} elements
     * @throws NullPointerException     when {@code data} is null
     */
    public NamedTensor {
        String problem = nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("invalid tensor name " + quote(name) + ": " + problem);
        }
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(
                    "tensor '" + name + "' has shape " + rows + "x" + cols + "; rows and cols must be at least 1");
        }
        Objects.requireNonNull(data, () -> "tensor '" + name + "' has null data");
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + rows + "x" + cols + " = "
                    + (long) rows * cols + " elements but data holds " + data.length);
        }
    }

    /** Why {@code name} is not a valid tensor name, or null when it is valid. */
    static String nameProblem(String name) {
        if (name == null) {
            return "the name is null";
        }
        if (name.isEmpty()) {
            return "the name is empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '=') {
                return "'=' at index " + i + " is not allowed";
            }
            if (c < 0x20 || c > 0x7E) {
                return String.format("character U+%04X at index %d is not printable ASCII", (int) c, i);
            }
        }
        return null;
    }

    private static String quote(String name) {
        if (name == null) {
            return "null";
        }
        // Escape control characters so the message stays on one line.
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < name.length() && i < 80; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return sb.append(name.length() > 80 ? "...\"" : "\"").toString();
    }

    /**
     * Number of elements.
     *
     * @return {@code rows * cols}, the length of {@code data}
     */
    public int size() {
        return data.length;
    }

    /** Same name, shape and raw element bits. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NamedTensor t) || rows != t.rows || cols != t.cols || !name.equals(t.name)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (Float.floatToRawIntBits(data[i]) != Float.floatToRawIntBits(t.data[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(name, rows, cols);
        for (float f : data) {
            h = 31 * h + Float.floatToRawIntBits(f);
        }
        return h;
    }

    /** Name and shape only: the data can be millions of elements. */
    @Override
    public String toString() {
        return "NamedTensor[name=" + name + ", rows=" + rows + ", cols=" + cols + "]";
    }
}
