package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.support.Shapes;
import dev.uff4j.backend.Tensor;

/**
 * The pure-Java backend: the reference the GPU backend is tested against, and what every user without a GPU runs.
 * Each op checks its arguments ({@link Shapes}, as every backend does) and runs one kernel class's code: matrix
 * products go through a pluggable {@link Gemm}; the rest are the kernels of {@link DenseKernels},
 * {@link ConvKernels}, {@link LossKernels}, {@link GoodnessKernels}, {@link NoiseKernels}, {@link OptimizerKernels}
 * and {@link MemoryKernels}, each mirrored by the {@code .cu} file of the same name. They are fused, row-parallel
 * and allocate nothing once the first step has sized their scratch. Results are deterministic and do not depend on
 * the thread count.
 */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final Gemm gemm;
    /** The same products with zeros left out (null for a GEMM whose sums it does not know): see {@link SparseGemm}. */
    private final SparseGemm sparse;
    /** {@link #gemm} when it adds a dense layer's bias and activation to its output tiles itself, else null. */
    private final TiledGemm fusedGemm;
    /*
     * Above these fractions of nonzeros a product runs dense, where the sparse kernel stops being faster
     * (SparseGemmBenchmark, docs/performance.md); either way the result is the same bits.
     */
    /** A·B with A mostly zeros (a lifetime-sparse decoder's forward). */
    static final float SPARSE_A = 0.1f;
    /** Aᵀ·B with A mostly zeros (its weight gradient). */
    static final float SPARSE_TRANS_A = 0.15f;

    private final DenseKernels.Forward forward;
    private final DenseKernels.Backward backward;
    private final DenseKernels.ColumnSum columnSum;
    private final DenseKernels.ColumnTopK columnTopK;
    private final DenseKernels.MulMask mulMask;
    private final ConvKernels.Conv2d conv;
    private final ConvKernels.MaxPoolForward maxPoolForward;
    private final ConvKernels.MaxPoolBackward maxPoolBackward;
    private final ConvKernels.Upsample upsample;
    private final LossKernels.Mse mse;
    private final LossKernels.SoftmaxCrossEntropy crossEntropy;
    private final LossKernels.L1 l1;
    private final NoiseKernels.Corrupt corrupt;
    private final NoiseKernels.Randn randn;
    private final OptimizerKernels.AdamWUpdate adamW;
    private long allocatedFloats;
    private boolean closed;

    /** A backend with {@code threads} threads and the best GEMM this JVM offers. */
    public CpuBackend(int threads) {
        this(threads, "auto");
    }

    /** @param gemmKind {@code auto}, {@code vector} or {@code blocked} (see {@link Gemms#create}) */
    public CpuBackend(int threads, String gemmKind) {
        this.pool = new WorkerPool(threads);
        this.gemm = Gemms.create(gemmKind, pool);
        this.sparse = Gemms.sparseFor(gemm, pool);
        this.fusedGemm = gemm instanceof TiledGemm t && t.fusesBiasActivation() ? t : null;
        this.forward = new DenseKernels.Forward(pool);
        this.backward = new DenseKernels.Backward(pool);
        this.columnSum = new DenseKernels.ColumnSum(pool);
        this.columnTopK = new DenseKernels.ColumnTopK(pool);
        this.mulMask = new DenseKernels.MulMask(pool);
        this.conv = new ConvKernels.Conv2d(pool, gemm);
        this.maxPoolForward = new ConvKernels.MaxPoolForward(pool);
        this.maxPoolBackward = new ConvKernels.MaxPoolBackward(pool);
        this.upsample = new ConvKernels.Upsample(pool);
        this.mse = new LossKernels.Mse(pool);
        this.crossEntropy = new LossKernels.SoftmaxCrossEntropy(pool);
        this.l1 = new LossKernels.L1(pool);
        NoiseKernels.Normals normals = NoiseKernels.normals();
        this.corrupt = new NoiseKernels.Corrupt(pool, normals);
        this.randn = new NoiseKernels.Randn(pool, normals);
        this.adamW = new OptimizerKernels.AdamWUpdate(pool);
    }

    /** Default thread count: every available processor. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "cpu: pure Java, " + pool.threads() + " thread" + (pool.threads() == 1 ? "" : "s") + ", GEMM "
                + gemm.name();
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    /** The heap's free room after a collection: its maximum size less what live objects take. */
    @Override
    public long freeMemory() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    public String gemmName() {
        return gemm.name();
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Tensor zeros(int rows, int cols) {
        int n = Shapes.allocation(rows, cols);
        CpuTensor t = new CpuTensor(new float[n], 0, rows, cols);
        t.allocation = true;
        allocatedFloats += n;
        return t;
    }

    /** Forgets the tensor (the garbage collector takes its array once nothing else holds it). */
    @Override
    public void free(Tensor t) {
        Shapes.given("free", "t", t);
        CpuTensor c = cpu(t);
        if (!c.allocation) {
            throw new IllegalArgumentException("free: " + c + " is a view or was freed before; only a tensor that "
                    + "zeros made can be freed, once");
        }
        c.allocation = false;
        allocatedFloats -= c.data.length;
    }

    /** Bytes of the tensors this backend has allocated ({@link #zeros}) and not freed; views take none of their own. */
    public long allocatedBytes() {
        return 4 * allocatedFloats;
    }

    @Override
    public void upload(float[] src, int srcOffset, Tensor dst) {
        Shapes.upload(src, srcOffset, dst);
        MemoryKernels.upload(src, srcOffset, cpu(dst));
    }

    @Override
    public void uploadRows(float[] src, int[] rowIndex, int from, Tensor dst) {
        Shapes.uploadRows(src, rowIndex, from, dst);
        MemoryKernels.uploadRows(src, rowIndex, from, cpu(dst));
    }

    @Override
    public void uploadLabels(int[] labels, int[] rowIndex, int from, Tensor dst) {
        Shapes.uploadLabels(labels, rowIndex, from, dst);
        MemoryKernels.uploadLabels(labels, rowIndex, from, cpu(dst));
    }

    @Override
    public void download(Tensor src, float[] dst, int dstOffset) {
        Shapes.download(src, dst, dstOffset);
        MemoryKernels.download(cpu(src), dst, dstOffset);
    }

    @Override
    public void fill(Tensor t, float value) {
        Shapes.fill(t);
        MemoryKernels.fill(cpu(t), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Shapes.copy(src, dst);
        MemoryKernels.copy(cpu(src), cpu(dst));
    }

    @Override
    public void copyColumns(Tensor src, Tensor dst, int col) {
        Shapes.copyColumns(src, dst, col);
        MemoryKernels.copyColumns(cpu(src), cpu(dst), col);
    }

    @Override
    public void addColumns(Tensor src, int col, Tensor dst) {
        Shapes.addColumns(src, col, dst);
        MemoryKernels.addColumns(cpu(src), col, cpu(dst));
    }

    // ------------------------------------------------------------------ dense layers

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Epilogue epilogue, Tensor out, Tensor deriv,
                             Tensor rowScale) {
        Shapes.denseForward(x, w, b, epilogue, out, deriv, rowScale);
        CpuTensor xt = cpu(x);
        CpuTensor wt = cpu(w);
        CpuTensor ot = cpu(out);
        int n = xt.rows();
        int in = xt.cols();
        int outDim = wt.cols();
        boolean fused = false;
        if (sparse(xt, SPARSE_A)) {
            sparse.sparseA(n, outDim, in, xt.data, xt.offset, wt.data, wt.offset, ot.data, ot.offset);
        } else if (fusedGemm != null && in > 0
                && (epilogue.activation() == Activation.RELU || epilogue.activation() == Activation.IDENTITY)) {
            CpuTensor bt = cpu(b);
            CpuTensor dt = cpuOrNull(deriv);
            fusedGemm.multiplyBiasActivation(n, outDim, in, xt.data, xt.offset, in, wt.data, wt.offset, outDim,
                    ot.data, ot.offset, outDim, bt.data, bt.offset, epilogue.activation() == Activation.RELU,
                    dt == null ? null : dt.data, dt == null ? 0 : dt.offset);
            fused = true;
        } else {
            gemm.multiply(false, false, n, outDim, in, xt.data, xt.offset, in, wt.data, wt.offset, outDim,
                    false, ot.data, ot.offset, outDim);
        }
        forward.apply(ot, cpu(b), cpuOrNull(deriv), cpuOrNull(rowScale), epilogue, fused);
    }

    @Override
    public void keepTopKPerColumn(Tensor out, Tensor deriv, int k) {
        Shapes.keepTopKPerColumn(out, deriv, k);
        if (k < out.rows()) {
            columnTopK.apply(cpu(out), cpu(deriv), k);
        }
    }

    @Override
    public void epilogueBackward(Tensor dOut, Tensor out, Tensor deriv, Tensor rowScale, Epilogue epilogue,
                                 Tensor dz) {
        Shapes.epilogueBackward(dOut, out, deriv, rowScale, epilogue, dz);
        backward.apply(cpu(dOut), cpu(out), cpu(deriv), cpuOrNull(rowScale), epilogue, cpu(dz));
    }

    @Override
    public void mulMask(Tensor x, Tensor mask, Tensor out) {
        Shapes.mulMask(x, mask, out);
        mulMask.apply(cpu(x), cpu(mask), cpu(out));
    }

    /** The weight gradient runs sparse when x is mostly zeros ({@link #SPARSE_TRANS_A}). */
    @Override
    public void denseBackward(Tensor x, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        Shapes.denseBackward(x, w, dz, dw, db, dx);
        CpuTensor xt = cpu(x);
        CpuTensor wt = cpu(w);
        CpuTensor zt = cpu(dz);
        CpuTensor dwt = cpu(dw);
        int n = xt.rows();
        int in = xt.cols();
        int outDim = wt.cols();
        if (sparse(xt, SPARSE_TRANS_A)) {
            sparse.sparseTransA(in, outDim, n, xt.data, xt.offset, zt.data, zt.offset, dwt.data, dwt.offset);
        } else {
            gemm.multiply(true, false, in, outDim, n, xt.data, xt.offset, in, zt.data, zt.offset, outDim,
                    false, dwt.data, dwt.offset, outDim);
        }
        columnSum.apply(zt, cpu(db));
        if (dx != null) {
            CpuTensor dxt = cpu(dx);
            gemm.multiply(false, true, n, in, outDim, zt.data, zt.offset, outDim, wt.data, wt.offset, outDim,
                    false, dxt.data, dxt.offset, in);
        }
    }

    /** Whether a product with {@code t} as its mostly-zero operand runs sparse: at most {@code maxDensity}. */
    private boolean sparse(CpuTensor t, float maxDensity) {
        return sparse != null && MemoryKernels.density(t) <= maxDensity;
    }

    // ------------------------------------------------------------------ convolutional layers

    @Override
    public void conv2dForward(Tensor x, ConvShape s, Tensor w, Tensor b, Activation act, Tensor out, Tensor deriv) {
        Shapes.conv2dForward(x, s, w, b, act, out, deriv);
        conv.forward(cpu(x), s, cpu(w), cpu(b), act, cpu(out), cpuOrNull(deriv));
    }

    @Override
    public void conv2dBackward(Tensor x, ConvShape s, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        Shapes.conv2dBackward(x, s, w, dz, dw, db, dx);
        conv.backward(cpu(x), s, cpu(w), cpu(dz), cpu(dw), cpu(db), cpuOrNull(dx));
    }

    @Override
    public void maxPool2dForward(Tensor x, int channels, int height, int width, int size, Tensor out,
                                 Tensor argmax) {
        Shapes.maxPool2dForward(x, channels, height, width, size, out, argmax);
        maxPoolForward.apply(cpu(x), channels, height, width, size, cpu(out), cpu(argmax));
    }

    @Override
    public void maxPool2dBackward(Tensor dOut, Tensor argmax, Tensor dx) {
        Shapes.maxPool2dBackward(dOut, argmax, dx);
        maxPoolBackward.apply(cpu(dOut), cpu(argmax), cpu(dx));
    }

    @Override
    public void upsample2dForward(Tensor x, int channels, int height, int width, int factor, Tensor out) {
        Shapes.upsample2dForward(x, channels, height, width, factor, out);
        upsample.apply(false, cpu(x), channels, height, width, factor, cpu(out));
    }

    @Override
    public void upsample2dBackward(Tensor dOut, int channels, int height, int width, int factor, Tensor dx) {
        Shapes.upsample2dBackward(dOut, channels, height, width, factor, dx);
        upsample.apply(true, cpu(dx), channels, height, width, factor, cpu(dOut));
    }

    // ------------------------------------------------------------------ losses and metrics

    @Override
    public void mseLoss(Tensor out, Tensor target, Tensor deriv, Tensor dz, Tensor acc, int slot) {
        Shapes.mseLoss(out, target, deriv, dz, acc, slot);
        add(acc, slot, mse.apply(cpu(out), cpu(target), cpu(deriv), cpu(dz)));
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor acc, int slot) {
        Shapes.softmaxCrossEntropy(logits, labels, dLogits, acc, slot);
        double loss = crossEntropy.apply(cpu(logits), cpu(labels), cpu(dLogits));
        add(acc, slot, loss);
        add(acc, slot + 1, crossEntropy.correct(logits.rows()));
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor acc, int slot) {
        Shapes.countCorrect(logits, labels, acc, slot);
        add(acc, slot, LossKernels.countCorrect(cpu(logits), cpu(labels)));
    }

    @Override
    public void argmaxRows(Tensor logits, Tensor out) {
        Shapes.argmaxRows(logits, out);
        LossKernels.argmaxRows(cpu(logits), cpu(out));
    }

    @Override
    public void l1Penalty(Tensor a, float lambda, Tensor grad, Tensor acc, int slot) {
        Shapes.l1Penalty(a, grad, acc, slot);
        add(acc, slot, l1.apply(cpu(a), lambda, cpu(grad)));
    }

    // ------------------------------------------------------------------ Forward-Forward

    @Override
    public void overlayLabels(Tensor x, Tensor labels, int classes, float value, Tensor out) {
        Shapes.overlayLabels(x, labels, classes, out);
        GoodnessKernels.overlay(cpu(x), cpuOrNull(labels), classes, value, cpu(out));
    }

    @Override
    public void wrongLabels(Tensor labels, int classes, long seed, long stream, Tensor out) {
        Shapes.wrongLabels(labels, classes, out);
        GoodnessKernels.wrongLabels(cpu(labels), classes, Noise.streamKey(seed, stream), cpu(out));
    }

    @Override
    public void sampleWrongLabels(Tensor scores, Tensor labels, float temperature, long seed, long stream,
                                  Tensor out) {
        Shapes.sampleWrongLabels(scores, labels, temperature, out);
        GoodnessKernels.sampleWrongLabels(cpu(scores), cpu(labels), temperature, Noise.streamKey(seed, stream),
                cpu(out));
    }

    @Override
    public void normalizeRows(Tensor x, Tensor out) {
        Shapes.normalizeRows(x, out);
        GoodnessKernels.normalize(cpu(x), cpu(out));
    }

    @Override
    public void goodnessLoss(Tensor h, float scale, float threshold, Tensor dh, Tensor acc, int slot) {
        Shapes.goodnessLoss(h, scale, dh, acc, slot);
        add(acc, slot, GoodnessKernels.loss(cpu(h), scale, threshold, cpu(dh)));
    }

    @Override
    public void addGoodness(Tensor h, Tensor scores, int col) {
        Shapes.addGoodness(h, scores, col);
        GoodnessKernels.addGoodness(cpu(h), cpu(scores), col);
    }

    // ------------------------------------------------------------------ noise and optimisation

    @Override
    public void corrupt(Tensor x, Noise noise, long seed, long stream, Tensor out) {
        Shapes.corrupt(x, noise, out);
        if (noise.isNone()) {
            copy(x, out);
            return;
        }
        corrupt.apply(cpu(x), noise, seed, stream, cpu(out));
    }

    @Override
    public void randn(Tensor out, float mean, float std, long seed, long stream) {
        Shapes.randn(out, mean, std);
        randn.apply(cpu(out), mean, std, seed, stream);
    }

    @Override
    public void adamW(AdamW hyper, float lrScale, int step, Tensor params, Tensor grads, Tensor m, Tensor v,
                      int decayCount) {
        Shapes.adamW(hyper, lrScale, step, params, grads, m, v, decayCount);
        adamW.apply(hyper, lrScale, step, cpu(params), cpu(grads), cpu(m), cpu(v), decayCount);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static CpuTensor cpu(Tensor t) {
        if (t instanceof CpuTensor c) {
            return c;
        }
        throw new IllegalArgumentException("tensor " + t + " does not belong to the CPU backend");
    }

    private static CpuTensor cpuOrNull(Tensor t) {
        return t == null ? null : cpu(t);
    }

    /** Adds to a slot that {@link Shapes} has checked. */
    private static void add(Tensor acc, int slot, double value) {
        CpuTensor a = cpu(acc);
        a.data[a.offset + slot] += (float) value;
    }
}
