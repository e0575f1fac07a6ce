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
    /**
     * Rows of the matrix: the batch size for a batch of samples.
     *
     * @return the row count, at least 1
     */
    int rows();

    /**
     * Columns of the matrix: the floats of one sample for a batch.
     *
     * @return the column count, at least 1
     */
    int cols();

    /**
     * Elements of the matrix.
     *
     * @return {@code rows() * cols()}
     */
    default int size() {
        return rows() * cols();
    }

    /**
     * A new view of {@code rows x cols} elements starting {@code offset} elements into this tensor. The view takes
     * the next {@code rows·cols} elements in row-major order, with its own row length: it is a reshaped slice, not
     * a sub-matrix with this tensor's stride.
     *
     * @param offset elements to skip, at least 0
     * @param rows   rows of the view, at least 1
     * @param cols   columns of the view, at least 1
     * @return the view, sharing this tensor's memory
     * @throws IllegalArgumentException if a dimension is below 1 or the view does not fit inside this tensor
     */
    Tensor view(int offset, int rows, int cols);

    /**
     * Rows {@code [first, first + count)} as a view. A tensor remembers the last few row ranges it handed out and
     * returns the same view object when one is asked for again, so a step that takes the same parts of its buffers
     * on every call (the halves of a stacked batch, a last smaller batch) allocates nothing once warm.
     *
     * @param first the first row, at least 0
     * @param count rows of the view, at least 1
     * @return a {@code count x cols()} view sharing this tensor's memory
     * @throws IllegalArgumentException if the rows do not lie inside this tensor
     */
    Tensor rowRange(int first, int count);

    /**
     * The first {@code n} rows: this tensor itself for all of them (used for a last, smaller batch).
     *
     * @param n rows wanted, 1 to {@code rows()}
     * @return this tensor or a {@link #rowRange} view
     * @throws IllegalArgumentException if {@code n} is not in [1, {@code rows()}]
     */
    default Tensor firstRows(int n) {
        return n == rows() ? this : rowRange(0, n);
    }
}
