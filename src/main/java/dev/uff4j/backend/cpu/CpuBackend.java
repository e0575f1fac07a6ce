package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Shapes;
import dev.uff4j.backend.Tensor;

import java.util.Arrays;

/**
 * The pure-Java backend: the reference the GPU backend is tested against, and what every user without a GPU runs.
 * Matrix products go through a pluggable {@link Gemm}; everything else is a fused, row-parallel kernel that
 * allocates nothing once the first step has sized its scratch buffers. Results are deterministic and do not
 * depend on the thread count.
 */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final Gemm gemm;
    private final DenseKernels.Forward forward;
    private final DenseKernels.Backward backward;
    private final DenseKernels.ColumnSum columnSum;
    private final DenseKernels.ColumnTopK columnTopK;
    private final ConvKernels.Conv2d conv;
    private final ConvKernels.MaxPoolForward maxPoolForward;
    private final ConvKernels.MaxPoolBackward maxPoolBackward;
    private final ConvKernels.Upsample upsample;
    private final LossKernels.Mse mse;
    private final LossKernels.SoftmaxCrossEntropy crossEntropy;
    private final LossKernels.L1 l1;
    private final NoiseKernel noise;
    private final AdamWKernel adamW;
    private boolean closed;

    /** A backend with {@code threads} threads and the best GEMM this JVM offers. */
    public CpuBackend(int threads) {
        this(threads, "auto");
    }

    /** @param gemmKind {@code auto}, {@code vector} or {@code blocked} (see {@link Gemms#create}) */
    public CpuBackend(int threads, String gemmKind) {
        this.pool = new WorkerPool(threads);
        this.gemm = Gemms.create(gemmKind, pool);
        LossKernels.RowSums sums = new LossKernels.RowSums();
        this.forward = new DenseKernels.Forward(pool);
        this.backward = new DenseKernels.Backward(pool);
        this.columnSum = new DenseKernels.ColumnSum(pool);
        this.columnTopK = new DenseKernels.ColumnTopK(pool);
        this.conv = new ConvKernels.Conv2d(pool, gemm);
        this.maxPoolForward = new ConvKernels.MaxPoolForward(pool);
        this.maxPoolBackward = new ConvKernels.MaxPoolBackward(pool);
        this.upsample = new ConvKernels.Upsample(pool);
        this.mse = new LossKernels.Mse(pool, sums);
        this.crossEntropy = new LossKernels.SoftmaxCrossEntropy(pool, sums, new LossKernels.RowSums());
        this.l1 = new LossKernels.L1(pool, sums);
        this.noise = new NoiseKernel(pool);
        this.adamW = new AdamWKernel(pool);
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

    public String gemmName() {
        return gemm.name();
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Tensor zeros(int rows, int cols) {
        return new CpuTensor(new float[Shapes.allocation(rows, cols)], 0, rows, cols);
    }

    @Override
    public void upload(float[] src, int srcOffset, Tensor dst) {
        CpuTensor d = cpu(dst);
        Shapes.checkSize(d, srcOffset, src.length);
        System.arraycopy(src, srcOffset, d.data, d.offset, d.size());
    }

    @Override
    public void uploadRows(float[] src, int[] rowIndex, int from, Tensor dst) {
        CpuTensor d = cpu(dst);
        Shapes.uploadRows(src, rowIndex, from, d);
        int n = d.cols();
        for (int r = 0; r < d.rows(); r++) {
            System.arraycopy(src, rowIndex[from + r] * n, d.data, d.offset + r * n, n);
        }
    }

    @Override
    public void uploadLabels(int[] labels, int[] rowIndex, int from, Tensor dst) {
        CpuTensor d = cpu(dst);
        Shapes.uploadLabels(d);
        for (int r = 0; r < d.rows(); r++) {
            d.data[d.offset + r] = labels[rowIndex[from + r]];
        }
    }

    @Override
    public void download(Tensor src, float[] dst, int dstOffset) {
        CpuTensor s = cpu(src);
        System.arraycopy(s.data, s.offset, dst, dstOffset, s.size());
    }

    @Override
    public void fill(Tensor t, float value) {
        CpuTensor c = cpu(t);
        Arrays.fill(c.data, c.offset, c.offset + c.size(), value);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CpuTensor s = cpu(src);
        CpuTensor d = cpu(dst);
        Shapes.copy(s, d);
        System.arraycopy(s.data, s.offset, d.data, d.offset, s.size());
    }

    @Override
    public void copyColumns(Tensor src, Tensor dst, int col) {
        CpuTensor s = cpu(src);
        CpuTensor d = cpu(dst);
        Shapes.copyColumns(s, d, col);
        int n = s.cols();
        for (int r = 0; r < s.rows(); r++) {
            System.arraycopy(s.data, s.offset + r * n, d.data, d.offset + r * d.cols() + col, n);
        }
    }

    @Override
    public void addColumns(Tensor src, int col, Tensor dst) {
        CpuTensor s = cpu(src);
        CpuTensor d = cpu(dst);
        Shapes.addColumns(s, col, d);
        int n = d.cols();
        for (int r = 0; r < d.rows(); r++) {
            int sr = s.offset + r * s.cols() + col;
            int dr = d.offset + r * n;
            for (int j = 0; j < n; j++) {
                d.data[dr + j] += s.data[sr + j];
            }
        }
    }

    // ------------------------------------------------------------------ dense layers

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Epilogue epilogue, Tensor out, Tensor deriv,
                             Tensor rowScale) {
        Shapes.denseForward(x, w, b, epilogue, out, deriv, rowScale);
        CpuTensor xt = cpu(x);
        CpuTensor wt = cpu(w);
        CpuTensor bt = cpu(b);
        CpuTensor ot = cpu(out);
        CpuTensor dt = deriv == null ? null : cpu(deriv);
        CpuTensor st = rowScale == null ? null : cpu(rowScale);
        int n = xt.rows();
        int in = xt.cols();
        int outDim = wt.cols();
        gemm.multiply(false, false, n, outDim, in, xt.data, xt.offset, in, wt.data, wt.offset, outDim,
                false, ot.data, ot.offset, outDim);
        forward.apply(ot, bt, dt, st, epilogue);
    }

    @Override
    public void keepTopKPerColumn(Tensor out, Tensor deriv, int k) {
        CpuTensor o = cpu(out);
        CpuTensor d = cpu(deriv);
        Shapes.keepTopKPerColumn(o, d, k);
        if (k < o.rows()) {
            columnTopK.apply(o, d, k);
        }
    }

    @Override
    public void epilogueBackward(Tensor dOut, Tensor out, Tensor deriv, Tensor rowScale, Epilogue epilogue,
                                 Tensor dz) {
        CpuTensor g = cpu(dOut);
        CpuTensor o = cpu(out);
        CpuTensor d = cpu(deriv);
        CpuTensor z = cpu(dz);
        CpuTensor s = rowScale == null ? null : cpu(rowScale);
        Shapes.epilogueBackward(g, o, d, s, epilogue, z);
        backward.apply(g, o, d, s, epilogue, z);
    }

    @Override
    public void denseBackward(Tensor x, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        CpuTensor xt = cpu(x);
        CpuTensor wt = cpu(w);
        CpuTensor zt = cpu(dz);
        CpuTensor dwt = cpu(dw);
        CpuTensor dbt = cpu(db);
        int n = xt.rows();
        int in = xt.cols();
        int outDim = wt.cols();
        Shapes.denseBackward(x, w, dz, dw, db, dx);
        gemm.multiply(true, false, in, outDim, n, xt.data, xt.offset, in, zt.data, zt.offset, outDim,
                false, dwt.data, dwt.offset, outDim);
        columnSum.apply(zt, dbt);
        if (dx != null) {
            CpuTensor dxt = cpu(dx);
            gemm.multiply(false, true, n, in, outDim, zt.data, zt.offset, outDim, wt.data, wt.offset, outDim,
                    false, dxt.data, dxt.offset, in);
        }
    }

    // ------------------------------------------------------------------ convolutional layers

    @Override
    public void conv2dForward(Tensor x, ConvShape s, Tensor w, Tensor b, Activation act, Tensor out, Tensor deriv) {
        Shapes.conv2dForward(x, s, w, b, act, out, deriv);
        conv.forward(cpu(x), s, cpu(w), cpu(b), act, cpu(out), deriv == null ? null : cpu(deriv));
    }

    @Override
    public void conv2dBackward(Tensor x, ConvShape s, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        Shapes.conv2dBackward(x, s, w, dz, dw, db, dx);
        conv.backward(cpu(x), s, cpu(w), cpu(dz), cpu(dw), cpu(db), dx == null ? null : cpu(dx));
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
        CpuTensor o = cpu(out);
        CpuTensor t = cpu(target);
        CpuTensor d = cpu(deriv);
        CpuTensor z = cpu(dz);
        Shapes.mseLoss(o, t, d, z, acc, slot);
        add(acc, slot, mse.apply(o, t, d, z));
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor acc, int slot) {
        CpuTensor z = cpu(logits);
        CpuTensor y = cpu(labels);
        CpuTensor g = cpu(dLogits);
        Shapes.softmaxCrossEntropy(z, y, g, acc, slot);
        double loss = crossEntropy.apply(z, y, g);
        add(acc, slot, loss);
        add(acc, slot + 1, crossEntropy.correct(z.rows()));
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor acc, int slot) {
        CpuTensor z = cpu(logits);
        CpuTensor y = cpu(labels);
        Shapes.countCorrect(z, y, acc, slot);
        int n = z.cols();
        int correct = 0;
        for (int r = 0; r < z.rows(); r++) {
            int label = LossKernels.labelAt(y.data, y.offset + r, n);
            if (LossKernels.argmax(z.data, z.offset + r * n, n) == label) {
                correct++;
            }
        }
        add(acc, slot, correct);
    }

    @Override
    public void argmaxRows(Tensor logits, Tensor out) {
        CpuTensor z = cpu(logits);
        CpuTensor o = cpu(out);
        Shapes.argmaxRows(z, o);
        int n = z.cols();
        for (int r = 0; r < z.rows(); r++) {
            o.data[o.offset + r] = LossKernels.argmax(z.data, z.offset + r * n, n);
        }
    }

    @Override
    public void l1Penalty(Tensor a, float lambda, Tensor grad, Tensor acc, int slot) {
        CpuTensor at = cpu(a);
        CpuTensor gt = cpu(grad);
        Shapes.l1Penalty(at, gt, acc, slot);
        add(acc, slot, l1.apply(at, lambda, gt));
    }

    // ------------------------------------------------------------------ Forward-Forward

    @Override
    public void overlayLabels(Tensor x, Tensor labels, int classes, float value, Tensor out) {
        Shapes.overlayLabels(x, labels, classes, out);
        CpuTensor xt = cpu(x);
        CpuTensor ot = cpu(out);
        CpuTensor lt = labels == null ? null : cpu(labels);
        GoodnessKernels.overlay(xt.data, xt.offset, lt == null ? null : lt.data, lt == null ? 0 : lt.offset,
                xt.rows(), xt.cols(), classes, value, ot.data, ot.offset);
    }

    @Override
    public void wrongLabels(Tensor labels, int classes, long seed, long stream, Tensor out) {
        Shapes.wrongLabels(labels, classes, out);
        CpuTensor lt = cpu(labels);
        CpuTensor ot = cpu(out);
        GoodnessKernels.wrongLabels(lt.data, lt.offset, lt.rows(), classes, seed, stream, ot.data, ot.offset);
    }

    @Override
    public void sampleWrongLabels(Tensor scores, Tensor labels, float temperature, long seed, long stream,
                                  Tensor out) {
        Shapes.sampleWrongLabels(scores, labels, temperature, out);
        CpuTensor st = cpu(scores);
        CpuTensor lt = cpu(labels);
        CpuTensor ot = cpu(out);
        GoodnessKernels.sampleWrongLabels(st.data, st.offset, lt.data, lt.offset, lt.rows(), st.cols(), temperature,
                seed, stream, ot.data, ot.offset);
    }

    @Override
    public void normalizeRows(Tensor x, Tensor out) {
        Shapes.normalizeRows(x, out);
        CpuTensor xt = cpu(x);
        CpuTensor ot = cpu(out);
        GoodnessKernels.normalize(xt.data, xt.offset, xt.rows(), xt.cols(), ot.data, ot.offset);
    }

    @Override
    public void goodnessLoss(Tensor h, float scale, float threshold, Tensor dh, Tensor acc, int slot) {
        Shapes.goodnessLoss(h, scale, dh, acc, slot);
        CpuTensor ht = cpu(h);
        CpuTensor dt = cpu(dh);
        add(acc, slot, GoodnessKernels.loss(ht.data, ht.offset, ht.rows(), ht.cols(), scale, threshold, dt.data,
                dt.offset));
    }

    @Override
    public void addGoodness(Tensor h, Tensor scores, int col) {
        Shapes.addGoodness(h, scores, col);
        CpuTensor ht = cpu(h);
        CpuTensor st = cpu(scores);
        GoodnessKernels.addGoodness(ht.data, ht.offset, ht.rows(), ht.cols(), st.data, st.offset, st.cols(), col);
    }

    // ------------------------------------------------------------------ noise and optimisation

    @Override
    public void corrupt(Tensor x, Noise noiseSpec, long seed, long stream, Tensor out) {
        CpuTensor xt = cpu(x);
        CpuTensor ot = cpu(out);
        Shapes.corrupt(xt, ot);
        if (noiseSpec.isNone()) {
            copy(xt, ot);
            return;
        }
        noise.apply(xt, noiseSpec, seed, stream, ot);
    }

    @Override
    public void adamW(AdamW hyper, float lrScale, int step, Tensor params, Tensor grads, Tensor m, Tensor v,
                      int decayCount) {
        CpuTensor p = cpu(params);
        CpuTensor g = cpu(grads);
        CpuTensor mt = cpu(m);
        CpuTensor vt = cpu(v);
        Shapes.adamW(lrScale, step, p, g, mt, vt, decayCount);
        adamW.apply(hyper, lrScale, step, p, g, mt, vt, decayCount);
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

    /** Adds to a slot that {@link Shapes} has checked. */
    private static void add(Tensor acc, int slot, double value) {
        CpuTensor a = cpu(acc);
        a.data[a.offset + slot] += (float) value;
    }
}
