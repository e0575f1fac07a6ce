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

    /** Elements {@link #density} looks at, at most. */
    static final int DENSITY_SAMPLES = 2048;

    /**
     * An estimate of the fraction of {@code t}'s elements that are not zero, in [0, 1]: exact up to
     * {@link #DENSITY_SAMPLES} elements, above that counted over that many elements evenly spread (an odd stride, so
     * it does not follow one column). It only chooses between a sparse and a dense product, which give the same bits,
     * so an estimate is enough; a full count cost 14% of the caller's thread in a bp step (docs/performance.md).
     */
    static float density(CpuTensor t) {
        int size = t.size();
        if (size == 0) {
            return 0f;
        }
        int stride = size <= DENSITY_SAMPLES ? 1 : (size / DENSITY_SAMPLES) | 1;
        float[] d = t.data;
        int end = t.offset + size;
        int nonzero = 0;
        int seen = 0;
        for (int i = t.offset; i < end; i += stride) {
            nonzero += d[i] != 0f ? 1 : 0;
            seen++;
        }
        return (float) nonzero / seen;
    }

}
