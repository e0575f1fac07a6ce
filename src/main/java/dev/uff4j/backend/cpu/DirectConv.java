package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.ConvShape;

/**
 * Convolutions to a single output map (a convolutional decoder's reconstruction) computed from the images
 * directly, without the lowering of {@link ConvKernels.Conv2d}: with one output map its product is a matrix-vector
 * product whose patch matrix is written and read once per use, so the lowering costs many times the arithmetic
 * (2-3 GFLOP/s in {@code ConvOpsBenchmark}). The sums are the lowering's, bit for bit, for the GEMM it is made for
 * ({@link Gemms#directConvFor}): the forward sums each output's taps as that GEMM does (blocks of {@link
 * SparseGemm#kBlock} taps, each an fma chain from zero, the blocks added in order), the weight gradient each
 * weight's terms the same way over the columns, and the input gradient adds each input's tap products in (i, j)
 * order, as col2im does. The one exception: a non-finite weight times a zero of the
 * padding, which the lowering's col2im never forms.
 */
interface DirectConv {

    /**
     * Whether this shape runs directly: one output map, stride 1, and padding below the kernel size (so that the
     * input gradient's taps are those of a padded gradient plane).
     */
    static boolean applies(ConvShape s) {
        return s.outChannels() == 1 && s.stride() == 1 && s.padding() < s.kernel();
    }

    /** out = act(conv(x, w) + b), deriv = act'(.) when not null; {@link ConvKernels.Conv2d#forward}'s contract. */
    void forward(CpuTensor x, ConvShape s, CpuTensor w, CpuTensor b, Activation act, CpuTensor out, CpuTensor deriv);

    /** dx (overwritten) = the input gradient of dz, as {@link ConvKernels.Conv2d#backward} computes it. */
    void inputGradient(CpuTensor dz, ConvShape s, CpuTensor w, CpuTensor dx);

    /**
     * dw (overwritten) = the weight gradient of dz, as {@link ConvKernels.Conv2d#backward} computes it: its GEMM sums
     * each weight over the columns (sample, position) of a chunk of {@code chunk} samples in blocks of {@link
     * SparseGemm#kBlock} columns, and the chunks in order.
     */
    void weightGradient(CpuTensor x, ConvShape s, CpuTensor dz, CpuTensor dw, int chunk);
}
