package dev.uff4j.backend.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.io.InputStream;

import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.cudart.cuStreamSynchronize;

/**
 * The kernels of {@code src/main/cuda}, loaded from the fatbin in the jar, each behind a typed Java method whose
 * parameters are the kernel's, in order: the only place that fills a launch's untyped argument block. Launches go
 * to the backend's stream; in debug mode each launch is followed by a synchronisation whose error names the kernel.
 */
final class Kernels {
    static final int THREADS = 256;
    private final CUmod_st module = new CUmod_st();
    private final CUstream_st stream;
    private final boolean debug;
    private final Runnable afterDebugSync;
    private final LaunchArgs args = new LaunchArgs();
    private final CUfunc_st denseEpilogue;
    private final CUfunc_st epilogueBackward;
    private final CUfunc_st columnTopK;
    private final CUfunc_st columnSum;
    private final CUfunc_st finishSum;
    private final CUfunc_st mseRows;
    private final CUfunc_st softmaxCrossEntropy;
    private final CUfunc_st countCorrect;
    private final CUfunc_st argmaxRows;
    private final CUfunc_st l1Rows;
    private final CUfunc_st corrupt;
    private final CUfunc_st adamw;
    private final CUfunc_st copyColumns;
    private final CUfunc_st addColumns;
    private final CUfunc_st gemm;
    private final CUfunc_st overlayLabels;
    private final CUfunc_st wrongLabels;
    private final CUfunc_st sampleWrongLabels;
    private final CUfunc_st normalizeRows;
    private final CUfunc_st goodnessLoss;
    private final CUfunc_st addGoodness;
    private final CUfunc_st im2col;
    private final CUfunc_st convBiasActivation;
    private final CUfunc_st convGatherDz;
    private final CUfunc_st col2im;
    private final CUfunc_st convBiasGrad;
    private final CUfunc_st maxPoolForward;
    private final CUfunc_st maxPoolBackward;
    private final CUfunc_st upsampleForward;
    private final CUfunc_st upsampleBackward;

    /** @param afterDebugSync runs after each debug-mode synchronisation (the backend checks its error record) */
    Kernels(CUstream_st stream, boolean debug, Runnable afterDebugSync) {
        this.stream = stream;
        this.debug = debug;
        this.afterDebugSync = afterDebugSync;
        byte[] image = readFatbin();
        BytePointer data = new BytePointer(image.length);
        data.put(image, 0, image.length);
        Driver.check(cuModuleLoadData(module, data), "cuModuleLoadData(uff4j.fatbin)");
        data.close();
        denseEpilogue = function("dense_epilogue");
        epilogueBackward = function("epilogue_backward");
        columnTopK = function("column_top_k");
        columnSum = function("column_sum");
        finishSum = function("finish_sum");
        mseRows = function("mse_rows");
        softmaxCrossEntropy = function("softmax_cross_entropy");
        countCorrect = function("count_correct");
        argmaxRows = function("argmax_rows");
        l1Rows = function("l1_rows");
        corrupt = function("corrupt");
        adamw = function("adamw");
        copyColumns = function("copy_columns");
        addColumns = function("add_columns");
        gemm = function("gemm");
        overlayLabels = function("overlay_labels");
        wrongLabels = function("wrong_labels");
        sampleWrongLabels = function("sample_wrong_labels");
        normalizeRows = function("normalize_rows");
        goodnessLoss = function("goodness_loss");
        addGoodness = function("add_goodness");
        im2col = function("im2col");
        convBiasActivation = function("conv_bias_activation");
        convGatherDz = function("conv_gather_dz");
        col2im = function("col2im");
        convBiasGrad = function("conv_bias_grad");
        maxPoolForward = function("max_pool_forward");
        maxPoolBackward = function("max_pool_backward");
        upsampleForward = function("upsample_forward");
        upsampleBackward = function("upsample_backward");
    }

    private static byte[] readFatbin() {
        try (InputStream in = Kernels.class.getResourceAsStream(CudaProbe.FATBIN)) {
            if (in == null) {
                throw new CudaException("the CUDA kernels were not built into this jar (" + CudaProbe.FATBIN + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CudaException("cannot read " + CudaProbe.FATBIN + ": " + e.getMessage());
        }
    }

    private CUfunc_st function(String name) {
        CUfunc_st f = new CUfunc_st();
        Driver.check(cuModuleGetFunction(f, module, name), "cuModuleGetFunction(" + name + ")");
        return f;
    }

    private static int blocks(long work, int perBlock) {
        return (int) Math.min(Integer.MAX_VALUE, (work + perBlock - 1) / perBlock);
    }

    private void launch(CUfunc_st f, String name, int gridX, int gridY, int blockX, int blockY) {
        Driver.check(cuLaunchKernel(f, gridX, gridY, 1, blockX, blockY, 1, 0, stream, args.block,
                (PointerPointer<?>) null), "cuLaunchKernel(" + name + ")");
        if (debug) {
            Driver.check(cuStreamSynchronize(stream), "kernel " + name + " (synchronised in debug mode)");
            afterDebugSync.run();
        }
    }

    /** {@code dense_epilogue(o, b, d, rowScale, cols, act, topK, layerNorm)}: one block per row. */
    void denseEpilogue(long o, long b, long d, long rowScale, int rows, int cols, int act, int topK,
                       boolean layerNorm) {
        args.start().ptr(o).ptr(b).ptr(d).ptr(rowScale).i32(cols).i32(act).i32(topK).i32(layerNorm ? 1 : 0);
        launch(denseEpilogue, "dense_epilogue", rows, 1, THREADS, 1);
    }

    /** {@code epilogue_backward(g, y, d, rowScale, dz, cols, layerNorm)}: one block per row. */
    void epilogueBackward(long g, long y, long d, long rowScale, long dz, int rows, int cols, boolean layerNorm) {
        args.start().ptr(g).ptr(y).ptr(d).ptr(rowScale).ptr(dz).i32(cols).i32(layerNorm ? 1 : 0);
        launch(epilogueBackward, "epilogue_backward", rows, 1, THREADS, 1);
    }

    /** {@code column_top_k(o, d, rows, cols, k)}: blocks of 32 columns x 8 row chunks. */
    void columnTopK(long o, long d, int rows, int cols, int k) {
        args.start().ptr(o).ptr(d).i32(rows).i32(cols).i32(k);
        launch(columnTopK, "column_top_k", blocks(cols, 32), 1, 32, 8);
    }

    /** {@code column_sum(m, out, rows, cols)}: one thread per column. */
    void columnSum(long m, long out, int rows, int cols) {
        args.start().ptr(m).ptr(out).i32(rows).i32(cols);
        launch(columnSum, "column_sum", blocks(cols, THREADS), 1, THREADS, 1);
    }

    /** {@code finish_sum(values, rows, multiplier, divisor, acc, slot)}: one block. */
    void finishSum(long values, int rows, double multiplier, double divisor, long acc, int slot) {
        args.start().ptr(values).i32(rows).f64(multiplier).f64(divisor).ptr(acc).i32(slot);
        launch(finishSum, "finish_sum", 1, 1, THREADS, 1);
    }

    /** {@code mse_rows(o, t, d, dz, cols, scale, rowSums)}: one block per row. */
    void mseRows(long o, long t, long d, long dz, int rows, int cols, float scale, long rowSums) {
        args.start().ptr(o).ptr(t).ptr(d).ptr(dz).i32(cols).f32(scale).ptr(rowSums);
        launch(mseRows, "mse_rows", rows, 1, THREADS, 1);
    }

    /** {@code softmax_cross_entropy(z, labels, g, rows, cols, invRows, rowLoss, rowHit, error)}: a thread per row. */
    void softmaxCrossEntropy(long z, long labels, long g, int rows, int cols, float invRows, long rowLoss,
                             long rowHit, long error) {
        args.start().ptr(z).ptr(labels).ptr(g).i32(rows).i32(cols).f32(invRows).ptr(rowLoss).ptr(rowHit).ptr(error);
        launch(softmaxCrossEntropy, "softmax_cross_entropy", blocks(rows, THREADS), 1, THREADS, 1);
    }

    /** {@code count_correct(z, labels, rows, cols, rowHit, error)}: a thread per row. */
    void countCorrect(long z, long labels, int rows, int cols, long rowHit, long error) {
        args.start().ptr(z).ptr(labels).i32(rows).i32(cols).ptr(rowHit).ptr(error);
        launch(countCorrect, "count_correct", blocks(rows, THREADS), 1, THREADS, 1);
    }

    /** {@code argmax_rows(z, out, rows, cols)}: a thread per row. */
    void argmaxRows(long z, long out, int rows, int cols) {
        args.start().ptr(z).ptr(out).i32(rows).i32(cols);
        launch(argmaxRows, "argmax_rows", blocks(rows, THREADS), 1, THREADS, 1);
    }

    /** {@code l1_rows(a, grad, cols, step, rowSums)}: one block per row. */
    void l1Rows(long a, long grad, int rows, int cols, float step, long rowSums) {
        args.start().ptr(a).ptr(grad).i32(cols).f32(step).ptr(rowSums);
        launch(l1Rows, "l1_rows", rows, 1, THREADS, 1);
    }

    /** {@code corrupt(x, o, size, key, std, maskProb)}: a thread per element pair. */
    void corrupt(long x, long o, long size, long key, float std, float maskProb) {
        args.start().ptr(x).ptr(o).i64(size).i64(key).f32(std).f32(maskProb);
        launch(corrupt, "corrupt", blocks((size + 1) / 2, THREADS), 1, THREADS, 1);
    }

    /**
     * {@code adamw(p, g, m, v, size, decayCount, decayFactor, beta1, beta2, oneMinusBeta1, oneMinusBeta2, eps,
     * stepSize, invSqrtBc2)}: grid-stride over the buffer.
     */
    void adamw(long p, long g, long m, long v, long size, long decayCount, float decayFactor, float beta1,
               float beta2, float oneMinusBeta1, float oneMinusBeta2, float eps, float stepSize, float invSqrtBc2) {
        args.start().ptr(p).ptr(g).ptr(m).ptr(v).i64(size).i64(decayCount).f32(decayFactor).f32(beta1).f32(beta2)
                .f32(oneMinusBeta1).f32(oneMinusBeta2).f32(eps).f32(stepSize).f32(invSqrtBc2);
        launch(adamw, "adamw", Math.min(blocks(size, THREADS), 8192), 1, THREADS, 1);
    }

    /** {@code copy_columns(src, dst, rows, srcCols, dstCols, col)}: a thread per element of src. */
    void copyColumns(long src, long dst, int rows, int srcCols, int dstCols, int col) {
        args.start().ptr(src).ptr(dst).i32(rows).i32(srcCols).i32(dstCols).i32(col);
        launch(copyColumns, "copy_columns", blocks((long) rows * srcCols, THREADS), 1, THREADS, 1);
    }

    /** {@code add_columns(src, dst, rows, srcCols, dstCols, col)}: a thread per element of dst. */
    void addColumns(long src, long dst, int rows, int srcCols, int dstCols, int col) {
        args.start().ptr(src).ptr(dst).i32(rows).i32(srcCols).i32(dstCols).i32(col);
        launch(addColumns, "add_columns", blocks((long) rows * dstCols, THREADS), 1, THREADS, 1);
    }

    /** {@code gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)}: 64x64 tiles of C, 16x16 threads. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb, long c,
              int ldc) {
        args.start().i32(transA ? 1 : 0).i32(transB ? 1 : 0).i32(m).i32(n).i32(k).ptr(a).i32(lda).ptr(b).i32(ldb)
                .ptr(c).i32(ldc);
        launch(gemm, "gemm", blocks(n, 64), blocks(m, 64), 16, 16);
    }

    /** {@code overlay_labels(x, labels, out, rows, cols, classes, value, error)}: a thread per element. */
    void overlayLabels(long x, long labels, long out, int rows, int cols, int classes, float value, long error) {
        args.start().ptr(x).ptr(labels).ptr(out).i32(rows).i32(cols).i32(classes).f32(value).ptr(error);
        launch(overlayLabels, "overlay_labels", blocks((long) rows * cols, THREADS), 1, THREADS, 1);
    }

    /** {@code wrong_labels(labels, out, rows, classes, key, error)}: a thread per row. */
    void wrongLabels(long labels, long out, int rows, int classes, long key, long error) {
        args.start().ptr(labels).ptr(out).i32(rows).i32(classes).i64(key).ptr(error);
        launch(wrongLabels, "wrong_labels", blocks(rows, THREADS), 1, THREADS, 1);
    }

    /** {@code sample_wrong_labels(scores, labels, out, rows, classes, temperature, key, error)}: a thread per row. */
    void sampleWrongLabels(long scores, long labels, long out, int rows, int classes, float temperature, long key,
                           long error) {
        args.start().ptr(scores).ptr(labels).ptr(out).i32(rows).i32(classes).f32(temperature).i64(key).ptr(error);
        launch(sampleWrongLabels, "sample_wrong_labels", blocks(rows, THREADS), 1, THREADS, 1);
    }

    /** {@code normalize_rows(x, out, cols)}: one block per row. */
    void normalizeRows(long x, long out, int rows, int cols) {
        args.start().ptr(x).ptr(out).i32(cols);
        launch(normalizeRows, "normalize_rows", rows, 1, THREADS, 1);
    }

    /** {@code goodness_loss(h, dh, rows, cols, sign, threshold, rowLoss)}: one block per row. */
    void goodnessLoss(long h, long dh, int rows, int cols, float scale, float threshold, long rowLoss) {
        args.start().ptr(h).ptr(dh).i32(rows).i32(cols).f32(scale).f32(threshold).ptr(rowLoss);
        launch(goodnessLoss, "goodness_loss", rows, 1, THREADS, 1);
    }

    /** {@code add_goodness(h, scores, cols, scoreCols, col)}: one block per row. */
    void addGoodness(long h, long scores, int rows, int cols, int scoreCols, int col) {
        args.start().ptr(h).ptr(scores).i32(cols).i32(scoreCols).i32(col);
        launch(addGoodness, "add_goodness", rows, 1, THREADS, 1);
    }

    /**
     * {@code im2col(x, cols, samples, channels, height, width, kernel, stride, pad, outH, outW)}: a thread per
     * element of cols (channels·kernel² x samples·outH·outW).
     */
    void im2col(long x, long cols, int samples, int channels, int height, int width, int kernel, int stride, int pad,
                int outH, int outW) {
        args.start().ptr(x).ptr(cols).i32(samples).i32(channels).i32(height).i32(width).i32(kernel).i32(stride)
                .i32(pad).i32(outH).i32(outW);
        long work = (long) channels * kernel * kernel * samples * outH * outW;
        launch(im2col, "im2col", blocks(work, THREADS), 1, THREADS, 1);
    }

    /**
     * {@code conv_bias_activation(z, b, out, d, samples, outChannels, positions, act)}: a thread per output element
     * (samples x outChannels·positions).
     */
    void convBiasActivation(long z, long b, long out, long d, int samples, int outChannels, int positions, int act) {
        args.start().ptr(z).ptr(b).ptr(out).ptr(d).i32(samples).i32(outChannels).i32(positions).i32(act);
        long work = (long) samples * outChannels * positions;
        launch(convBiasActivation, "conv_bias_activation", blocks(work, THREADS), 1, THREADS, 1);
    }

    /** {@code conv_gather_dz(dz, zd, samples, outChannels, positions)}: a thread per element of dz's chunk. */
    void convGatherDz(long dz, long zd, int samples, int outChannels, int positions) {
        args.start().ptr(dz).ptr(zd).i32(samples).i32(outChannels).i32(positions);
        long work = (long) samples * outChannels * positions;
        launch(convGatherDz, "conv_gather_dz", blocks(work, THREADS), 1, THREADS, 1);
    }

    /**
     * {@code col2im(dcols, dx, samples, channels, height, width, kernel, stride, pad, outH, outW)}: a thread per
     * element of dx's chunk (samples x channels·height·width).
     */
    void col2im(long dcols, long dx, int samples, int channels, int height, int width, int kernel, int stride,
                int pad, int outH, int outW) {
        args.start().ptr(dcols).ptr(dx).i32(samples).i32(channels).i32(height).i32(width).i32(kernel).i32(stride)
                .i32(pad).i32(outH).i32(outW);
        long work = (long) samples * channels * height * width;
        launch(col2im, "col2im", blocks(work, THREADS), 1, THREADS, 1);
    }

    /** {@code conv_bias_grad(dz, db, rows, outChannels, positions)}: one block per output channel. */
    void convBiasGrad(long dz, long db, int rows, int outChannels, int positions) {
        args.start().ptr(dz).ptr(db).i32(rows).i32(outChannels).i32(positions);
        launch(convBiasGrad, "conv_bias_grad", outChannels, 1, THREADS, 1);
    }

    /**
     * {@code max_pool_forward(x, out, argmax, rows, channels, height, width, size)}: a thread per output element
     * (rows x channels·(height/size)·(width/size)).
     */
    void maxPoolForward(long x, long out, long argmax, int rows, int channels, int height, int width, int size) {
        args.start().ptr(x).ptr(out).ptr(argmax).i32(rows).i32(channels).i32(height).i32(width).i32(size);
        long work = (long) rows * channels * (height / size) * (width / size);
        launch(maxPoolForward, "max_pool_forward", blocks(work, THREADS), 1, THREADS, 1);
    }

    /** {@code max_pool_backward(dOut, argmax, dx, rows, outCols, inCols, error)}: a thread per element of dOut. */
    void maxPoolBackward(long dOut, long argmax, long dx, int rows, int outCols, int inCols, long error) {
        args.start().ptr(dOut).ptr(argmax).ptr(dx).i32(rows).i32(outCols).i32(inCols).ptr(error);
        launch(maxPoolBackward, "max_pool_backward", blocks((long) rows * outCols, THREADS), 1, THREADS, 1);
    }

    /**
     * {@code upsample_forward(x, out, rows, channels, height, width, factor)}: a thread per element of out
     * (rows x channels·(height·factor)·(width·factor)).
     */
    void upsampleForward(long x, long out, int rows, int channels, int height, int width, int factor) {
        args.start().ptr(x).ptr(out).i32(rows).i32(channels).i32(height).i32(width).i32(factor);
        long work = (long) rows * channels * height * width * factor * factor;
        launch(upsampleForward, "upsample_forward", blocks(work, THREADS), 1, THREADS, 1);
    }

    /**
     * {@code upsample_backward(dOut, dx, rows, channels, height, width, factor)}: a thread per element of dx
     * (rows x channels·height·width).
     */
    void upsampleBackward(long dOut, long dx, int rows, int channels, int height, int width, int factor) {
        args.start().ptr(dOut).ptr(dx).i32(rows).i32(channels).i32(height).i32(width).i32(factor);
        long work = (long) rows * channels * height * width;
        launch(upsampleBackward, "upsample_backward", blocks(work, THREADS), 1, THREADS, 1);
    }

    void close() {
        cuModuleUnload(module);
    }
}
