package dev.uff4j.backend.cpu;

import dev.uff4j.backend.support.RowViews;
import dev.uff4j.backend.support.Shapes;
import dev.uff4j.backend.Tensor;

/** A tensor of the CPU backend: a window of a Java float array, rows contiguous (row stride = cols). */
final class CpuTensor implements Tensor {
    final float[] data;
    final int offset;
    private final int rows;
    private final int cols;
    private RowViews rowViews;
    /** True for a tensor that {@code zeros} made and that was not freed: the owner of its array. */
    boolean allocation;

    CpuTensor(float[] data, int offset, int rows, int cols) {
        Shapes.tensor(rows, cols);
        if (offset < 0 || (long) offset + (long) rows * cols > data.length) {
            throw new IllegalArgumentException("view " + rows + "x" + cols + " at offset " + offset
                    + " does not fit a buffer of " + data.length + " floats");
        }
        this.data = data;
        this.offset = offset;
        this.rows = rows;
        this.cols = cols;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public Tensor view(int viewOffset, int viewRows, int viewCols) {
        Shapes.view(this, viewOffset, viewRows, viewCols);
        return new CpuTensor(data, offset + viewOffset, viewRows, viewCols);
    }

    @Override
    public Tensor rowRange(int first, int count) {
        if (rowViews == null) {
            rowViews = new RowViews();
        }
        return rowViews.get(this, first, count);
    }

    /** Direct access for tests and the CPU backend's own helpers. */
    public float get(int r, int c) {
        return data[offset + r * cols + c];
    }

    @Override
    public String toString() {
        return "CpuTensor[" + rows + "x" + cols + "]";
    }
}
