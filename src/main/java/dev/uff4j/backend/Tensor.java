package dev.uff4j.backend;

/**
 * A row-major float32 matrix whose memory is owned by a {@link Backend}: a Java array for the CPU backend, device
 * memory for a GPU backend. Model code never touches the elements; it passes tensors to backend ops and reads them
 * back only for reporting and checkpoints ({@link Backend#download}).
 *
 * <p>A tensor may be a view into a larger buffer (see {@link #view}); views share memory with their parent.
 * Vectors are 1 x n. Tensors are not thread-safe: a backend is driven by one thread.
 */
public interface Tensor {
    int rows();

    int cols();

    default int size() {
        return rows() * cols();
    }

    /** A view of {@code rows x cols} elements starting {@code offset} elements into this tensor. */
    Tensor view(int offset, int rows, int cols);

    /** A view of the first {@code n} rows (used for a last, smaller batch). */
    default Tensor firstRows(int n) {
        if (n == rows()) {
            return this;
        }
        return view(0, n, cols());
    }
}
