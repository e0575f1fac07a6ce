package dev.uff4j.backend.cuda;

import dev.uff4j.backend.support.RowViews;
import dev.uff4j.backend.support.Shapes;
import dev.uff4j.backend.Tensor;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A tensor of the CUDA backend: {@code rows x cols} floats of device memory at {@link #address}, rows contiguous.
 * Views share their parent's allocation; the backend frees every allocation when it closes.
 */
final class CudaTensor implements Tensor {
    final CudaBackend owner;
    final long address;
    private final int rows;
    private final int cols;
    private FloatPointer pointer;
    private RowViews rowViews;
    /** True for a tensor that {@code zeros} made and that was not freed: the owner of its device memory. */
    boolean allocation;

    CudaTensor(CudaBackend owner, long address, int rows, int cols) {
        Shapes.tensor(rows, cols);
        this.owner = owner;
        this.address = address;
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
        return new CudaTensor(owner, address + 4L * viewOffset, viewRows, viewCols);
    }

    @Override
    public Tensor rowRange(int first, int count) {
        if (rowViews == null) {
            rowViews = new RowViews();
        }
        return rowViews.get(this, first, count);
    }

    /** The device address as a JavaCPP pointer, for cuBLAS; made once per tensor. */
    FloatPointer pointer() {
        if (pointer == null) {
            pointer = new DevicePointer(address);
        }
        return pointer;
    }

    @Override
    public String toString() {
        return "CudaTensor[" + rows + "x" + cols + "]";
    }

    /** A JavaCPP pointer at a device address (never dereferenced on the host, never freed by JavaCPP). */
    private static final class DevicePointer extends FloatPointer {
        DevicePointer(long deviceAddress) {
            this.address = deviceAddress;
        }
    }
}
