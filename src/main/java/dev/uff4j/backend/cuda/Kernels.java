package dev.uff4j.backend.cuda;

/**
 * One typed Java method per kernel of {@code src/main/cuda}, whose parameters are the kernel's in order (see
 * {@link Kernel}), plus the grid it runs on: the only code that fills a launch's argument block. Which launcher
 * runs them ({@link ModuleLauncher} on the GPU) is given, so the argument filling is tested without one.
 */
final class Kernels implements AutoCloseable {
    static final int THREADS = 256;
    private final KernelLauncher launcher;
    private final LaunchArgs args = new LaunchArgs();

    Kernels(KernelLauncher launcher) {
        this.launcher = launcher;
    }

    private static int blocks(long work, int perBlock) {
        return (int) Math.min(Integer.MAX_VALUE, (work + perBlock - 1) / perBlock);
    }

    private void launch(int gridX, int gridY, int blockX, int blockY) {
        launcher.launch(args.complete(), args, gridX, gridY, blockX, blockY);
    }

    /** One thread per unit of {@code work}, in blocks of {@link #THREADS}. */
    private void launchFlat(long work) {
        launch(blocks(work, THREADS), 1, THREADS, 1);
    }

    /** One block of {@link #THREADS} per unit (a row, a channel). */
    private void launchBlocks(int units) {
        launch(units, 1, THREADS, 1);
    }

    // ------------------------------------------------------------------ dense_kernels.cu

    /** Fused bias, activation (by {@link dev.uff4j.backend.Activation#code}), row top-k and layer norm. */
    void denseEpilogue(long o, long b, long d, long rowScale, int rows, int cols, int act, int topK,
                       boolean layerNorm) {
        args.start(Kernel.DENSE_EPILOGUE).ptr(o).ptr(b).ptr(d).ptr(rowScale).i32(cols).i32(act).i32(topK)
                .i32(layerNorm ? 1 : 0);
        launchBlocks(rows);
    }

    void epilogueBackward(long g, long y, long d, long rowScale, long dz, int rows, int cols, boolean layerNorm) {
        args.start(Kernel.EPILOGUE_BACKWARD).ptr(g).ptr(y).ptr(d).ptr(rowScale).ptr(dz).i32(cols)
                .i32(layerNorm ? 1 : 0);
        launchBlocks(rows);
    }

    /** Blocks of 32 columns x 8 row chunks. */
    void columnTopK(long o, long d, int rows, int cols, int k) {
        args.start(Kernel.COLUMN_TOP_K).ptr(o).ptr(d).i32(rows).i32(cols).i32(k);
        launch(blocks(cols, 32), 1, 32, 8);
    }

    /** One thread per column. */
    void columnSum(long m, long out, int rows, int cols) {
        args.start(Kernel.COLUMN_SUM).ptr(m).ptr(out).i32(rows).i32(cols);
        launchFlat(cols);
    }

    void mulMask(long x, long mask, long out, long size) {
        args.start(Kernel.MUL_MASK).ptr(x).ptr(mask).ptr(out).i64(size);
        launchFlat(size);
    }

    // ------------------------------------------------------------------ loss_kernels.cu

    /** One block: {@code acc[slot] += multiplier · Σ values / divisor}. */
    void finishSum(long values, int rows, double multiplier, double divisor, long acc, int slot) {
        args.start(Kernel.FINISH_SUM).ptr(values).i32(rows).f64(multiplier).f64(divisor).ptr(acc).i32(slot);
        launchBlocks(1);
    }

    void mseRows(long o, long t, long d, long dz, int rows, int cols, float scale, long rowSums) {
        args.start(Kernel.MSE_ROWS).ptr(o).ptr(t).ptr(d).ptr(dz).i32(cols).f32(scale).ptr(rowSums);
        launchBlocks(rows);
    }

    /** A thread per row. */
    void softmaxCrossEntropy(long z, long labels, long g, int rows, int cols, float invRows, long rowLoss,
                             long rowHit, long error) {
        args.start(Kernel.SOFTMAX_CROSS_ENTROPY).ptr(z).ptr(labels).ptr(g).i32(rows).i32(cols).f32(invRows)
                .ptr(rowLoss).ptr(rowHit).ptr(error);
        launchFlat(rows);
    }

    /** A thread per row. */
    void countCorrect(long z, long labels, int rows, int cols, long rowHit, long error) {
        args.start(Kernel.COUNT_CORRECT).ptr(z).ptr(labels).i32(rows).i32(cols).ptr(rowHit).ptr(error);
        launchFlat(rows);
    }

    /** A thread per row. */
    void argmaxRows(long z, long out, int rows, int cols) {
        args.start(Kernel.ARGMAX_ROWS).ptr(z).ptr(out).i32(rows).i32(cols);
        launchFlat(rows);
    }

    void l1Rows(long a, long grad, int rows, int cols, float step, long rowSums) {
        args.start(Kernel.L1_ROWS).ptr(a).ptr(grad).i32(cols).f32(step).ptr(rowSums);
        launchBlocks(rows);
    }

    // ------------------------------------------------------------------ noise_kernels.cu

    /** A thread per element pair. */
    void corrupt(long x, long o, long size, long key, float std, float maskProb) {
        args.start(Kernel.CORRUPT).ptr(x).ptr(o).i64(size).i64(key).f32(std).f32(maskProb);
        launchFlat((size + 1) / 2);
    }

    /** A thread per element pair. */
    void randn(long out, long size, long key, float mean, float std) {
        args.start(Kernel.RANDN).ptr(out).i64(size).i64(key).f32(mean).f32(std);
        launchFlat((size + 1) / 2);
    }

    // ------------------------------------------------------------------ optimizer_kernels.cu

    /** Grid-stride over the buffer, at most 8192 blocks. */
    void adamw(long p, long g, long m, long v, long size, long decayCount, float decayFactor, float beta1,
               float beta2, float oneMinusBeta1, float oneMinusBeta2, float eps, float stepSize, float invSqrtBc2) {
        args.start(Kernel.ADAMW).ptr(p).ptr(g).ptr(m).ptr(v).i64(size).i64(decayCount).f32(decayFactor).f32(beta1)
                .f32(beta2).f32(oneMinusBeta1).f32(oneMinusBeta2).f32(eps).f32(stepSize).f32(invSqrtBc2);
        launch(Math.min(blocks(size, THREADS), 8192), 1, THREADS, 1);
    }

    // ------------------------------------------------------------------ memory_kernels.cu

    /** A thread per element of src. */
    void copyColumns(long src, long dst, int rows, int srcCols, int dstCols, int col) {
        args.start(Kernel.COPY_COLUMNS).ptr(src).ptr(dst).i32(rows).i32(srcCols).i32(dstCols).i32(col);
        launchFlat((long) rows * srcCols);
    }

    /** A thread per element of dst. */
    void addColumns(long src, long dst, int rows, int srcCols, int dstCols, int col) {
        args.start(Kernel.ADD_COLUMNS).ptr(src).ptr(dst).i32(rows).i32(srcCols).i32(dstCols).i32(col);
        launchFlat((long) rows * dstCols);
    }

    // ------------------------------------------------------------------ gemm.cu

    /** 64x64 tiles of C, 16x16 threads. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b, int ldb, long c,
              int ldc) {
        args.start(Kernel.GEMM).i32(transA ? 1 : 0).i32(transB ? 1 : 0).i32(m).i32(n).i32(k).ptr(a).i32(lda).ptr(b)
                .i32(ldb).ptr(c).i32(ldc);
        launch(blocks(n, 64), blocks(m, 64), 16, 16);
    }

    // ------------------------------------------------------------------ goodness_kernels.cu

    /** A thread per element. */
    void overlayLabels(long x, long labels, long out, int rows, int cols, int classes, float value, long error) {
        args.start(Kernel.OVERLAY_LABELS).ptr(x).ptr(labels).ptr(out).i32(rows).i32(cols).i32(classes).f32(value)
                .ptr(error);
        launchFlat((long) rows * cols);
    }

    /** A thread per row. */
    void wrongLabels(long labels, long out, int rows, int classes, long key, long error) {
        args.start(Kernel.WRONG_LABELS).ptr(labels).ptr(out).i32(rows).i32(classes).i64(key).ptr(error);
        launchFlat(rows);
    }

    /** A thread per row. */
    void sampleWrongLabels(long scores, long labels, long out, int rows, int classes, float temperature, long key,
                           long error) {
        args.start(Kernel.SAMPLE_WRONG_LABELS).ptr(scores).ptr(labels).ptr(out).i32(rows).i32(classes)
                .f32(temperature).i64(key).ptr(error);
        launchFlat(rows);
    }

    void normalizeRows(long x, long out, int rows, int cols) {
        args.start(Kernel.NORMALIZE_ROWS).ptr(x).ptr(out).i32(cols);
        launchBlocks(rows);
    }

    void goodnessLoss(long h, long dh, int rows, int cols, float scale, float threshold, long rowLoss) {
        args.start(Kernel.GOODNESS_LOSS).ptr(h).ptr(dh).i32(rows).i32(cols).f32(scale).f32(threshold).ptr(rowLoss);
        launchBlocks(rows);
    }

    void addGoodness(long h, long scores, int rows, int cols, int scoreCols, int col) {
        args.start(Kernel.ADD_GOODNESS).ptr(h).ptr(scores).i32(cols).i32(scoreCols).i32(col);
        launchBlocks(rows);
    }

    // ------------------------------------------------------------------ conv_kernels.cu

    /** A thread per element of cols (channels·kernel² x samples·outH·outW). */
    void im2col(long x, long cols, int samples, int channels, int height, int width, int kernel, int stride, int pad,
                int outH, int outW) {
        args.start(Kernel.IM2COL).ptr(x).ptr(cols).i32(samples).i32(channels).i32(height).i32(width).i32(kernel)
                .i32(stride).i32(pad).i32(outH).i32(outW);
        launchFlat((long) channels * kernel * kernel * samples * outH * outW);
    }

    /** A thread per output element (samples x outChannels·positions); {@code act} is an activation's code. */
    void convBiasActivation(long z, long b, long out, long d, int samples, int outChannels, int positions, int act) {
        args.start(Kernel.CONV_BIAS_ACTIVATION).ptr(z).ptr(b).ptr(out).ptr(d).i32(samples).i32(outChannels)
                .i32(positions).i32(act);
        launchFlat((long) samples * outChannels * positions);
    }

    /** A thread per element of dz's chunk. */
    void convGatherDz(long dz, long zd, int samples, int outChannels, int positions) {
        args.start(Kernel.CONV_GATHER_DZ).ptr(dz).ptr(zd).i32(samples).i32(outChannels).i32(positions);
        launchFlat((long) samples * outChannels * positions);
    }

    /** A thread per element of dx's chunk (samples x channels·height·width). */
    void col2im(long dcols, long dx, int samples, int channels, int height, int width, int kernel, int stride,
                int pad, int outH, int outW) {
        args.start(Kernel.COL2IM).ptr(dcols).ptr(dx).i32(samples).i32(channels).i32(height).i32(width).i32(kernel)
                .i32(stride).i32(pad).i32(outH).i32(outW);
        launchFlat((long) samples * channels * height * width);
    }

    /** One block per output channel. */
    void convBiasGrad(long dz, long db, int rows, int outChannels, int positions) {
        args.start(Kernel.CONV_BIAS_GRAD).ptr(dz).ptr(db).i32(rows).i32(outChannels).i32(positions);
        launchBlocks(outChannels);
    }

    /** A thread per output element (rows x channels·(height/size)·(width/size)). */
    void maxPoolForward(long x, long out, long argmax, int rows, int channels, int height, int width, int size) {
        args.start(Kernel.MAX_POOL_FORWARD).ptr(x).ptr(out).ptr(argmax).i32(rows).i32(channels).i32(height)
                .i32(width).i32(size);
        launchFlat((long) rows * channels * (height / size) * (width / size));
    }

    /** A thread per element of dOut. */
    void maxPoolBackward(long dOut, long argmax, long dx, int rows, int outCols, int inCols, long error) {
        args.start(Kernel.MAX_POOL_BACKWARD).ptr(dOut).ptr(argmax).ptr(dx).i32(rows).i32(outCols).i32(inCols)
                .ptr(error);
        launchFlat((long) rows * outCols);
    }

    /** A thread per element of out (rows x channels·(height·factor)·(width·factor)). */
    void upsampleForward(long x, long out, int rows, int channels, int height, int width, int factor) {
        args.start(Kernel.UPSAMPLE_FORWARD).ptr(x).ptr(out).i32(rows).i32(channels).i32(height).i32(width)
                .i32(factor);
        launchFlat((long) rows * channels * height * width * factor * factor);
    }

    /** A thread per element of dx (rows x channels·height·width). */
    void upsampleBackward(long dOut, long dx, int rows, int channels, int height, int width, int factor) {
        args.start(Kernel.UPSAMPLE_BACKWARD).ptr(dOut).ptr(dx).i32(rows).i32(channels).i32(height).i32(width)
                .i32(factor);
        launchFlat((long) rows * channels * height * width);
    }

    @Override
    public void close() {
        launcher.close();
    }
}
