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

    /** A new view of {@code rows x cols} elements starting {@code offset} elements into this tensor. */
    Tensor view(int offset, int rows, int cols);

    /**
     * Rows {@code [first, first + count)} as a view. A tensor remembers the last few row ranges it handed out and
     * returns the same view object when one is asked for again, so a step that takes the same parts of its buffers
     * on every call (the halves of a stacked batch, a last smaller batch) allocates nothing once warm.
     */
    Tensor rowRange(int first, int count);

    /** The first {@code n} rows: this tensor itself for all of them (used for a last, smaller batch). */
    default Tensor firstRows(int n) {
        return n == rows() ? this : rowRange(0, n);
    }
}
