package dev.uff4j.backend.cpu;

import java.util.Arrays;

/**
 * Moving elements: host transfers, fills, copies and the column copies that concatenate latents. Single-threaded:
 * each is a memory copy that one core drives near its bandwidth. The column copies are mirrored by
 * {@code src/main/cuda/memory_kernels.cu}; on the GPU the others are driver calls.
 */
final class MemoryKernels {
    private MemoryKernels() {
    }

    static void upload(float[] src, int srcOffset, CpuTensor dst) {
        System.arraycopy(src, srcOffset, dst.data, dst.offset, dst.size());
    }

    /** Row r of dst = row rowIndex[from + r] of src (rows of dst.cols() floats). */
    static void uploadRows(float[] src, int[] rowIndex, int from, CpuTensor dst) {
        int n = dst.cols();
        for (int r = 0; r < dst.rows(); r++) {
            System.arraycopy(src, rowIndex[from + r] * n, dst.data, dst.offset + r * n, n);
        }
    }

    /** dst[r] = labels[rowIndex[from + r]] as a float. */
    static void uploadLabels(int[] labels, int[] rowIndex, int from, CpuTensor dst) {
        for (int r = 0; r < dst.rows(); r++) {
            dst.data[dst.offset + r] = labels[rowIndex[from + r]];
        }
    }

    static void download(CpuTensor src, float[] dst, int dstOffset) {
        System.arraycopy(src.data, src.offset, dst, dstOffset, src.size());
    }

    static void fill(CpuTensor t, float value) {
        Arrays.fill(t.data, t.offset, t.offset + t.size(), value);
    }

    static void copy(CpuTensor src, CpuTensor dst) {
        System.arraycopy(src.data, src.offset, dst.data, dst.offset, src.size());
    }

    /** dst[:, col .. col+src.cols) = src. */
    static void copyColumns(CpuTensor src, CpuTensor dst, int col) {
        int n = src.cols();
        for (int r = 0; r < src.rows(); r++) {
            System.arraycopy(src.data, src.offset + r * n, dst.data, dst.offset + r * dst.cols() + col, n);
        }
    }

    /** dst += src[:, col .. col+dst.cols). */
    static void addColumns(CpuTensor src, int col, CpuTensor dst) {
        int n = dst.cols();
        for (int r = 0; r < dst.rows(); r++) {
            int sr = src.offset + r * src.cols() + col;
            int dr = dst.offset + r * n;
            for (int j = 0; j < n; j++) {
                dst.data[dr + j] += src.data[sr + j];
            }
        }
    }
}
