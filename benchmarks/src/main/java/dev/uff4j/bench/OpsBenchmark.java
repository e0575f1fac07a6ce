package dev.uff4j.bench;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every {@link dev.uff4j.backend.Backend} op of one training step of the default model, on the CPU backend, at the
 * default shapes: batch 128, input 784, hidden 1000, 10 classes.
 *
 * <p><b>Units.</b> The output unit is nanoseconds and one JMH "operation" is one byte of memory traffic (element-wise
 * ops) or one floating-point operation (GEMM-based ops), via {@code @OperationsPerInvocation}. So the score
 * "ops/ns" reads directly as <b>GB/s</b> (10^9 bytes per second) or <b>GFLOP/s</b>; higher is better. Each method's
 * comment says which, and the constants below give the bytes or FLOP of one call, so the time of one call is
 * {@code constant / score} nanoseconds.
 * <ul>
 *   <li>GFLOP/s: {@code denseForwardRelu}, {@code denseForwardReluLayerNorm} (2·128·784·1000 FLOP: the GEMM only,
 *       the epilogue is not counted) and {@code denseBackward} (dW = xᵀ·dz plus dx = dz·wᵀ, 2 · 2·128·784·1000
 *       FLOP; the bias column sum is not counted).</li>
 *   <li>GB/s: all others. Bytes counted per element are the distinct float arrays each op reads or writes once
 *       (4 bytes per float per read or write), not cache-line traffic; the comment on each constant lists them.
 *       The tensors (0.4 to 2 MB per op, 25 MB for AdamW) stay in cache between calls, so these are cache
 *       bandwidths, not DRAM bandwidths.</li>
 * </ul>
 *
 * <p><b>{@code keepTopKPerColumn} is destructive</b> (it zeroes all but the k largest values of each column of
 * {@code out} and {@code deriv}), so each call first restores both tensors from pristine copies inside the
 * benchmark method ({@code @Setup(Level.Invocation)} would add timer overhead of the same order as this sub-ms op).
 * The restore is part of the measured time and its bytes are counted in the score; nothing is subtracted.
 * {@code keepTopKPerColumnRestoreOnly} measures the restore alone in the same units, so the op's own time is
 * {@code TOPK_BYTES / score(keepTopKPerColumn) - RESTORE_BYTES / score(restoreOnly)} ns when both are measured
 * side by side.
 *
 * <p>The other ops are idempotent on their inputs ({@code denseForward} overwrites its outputs, the losses and
 * {@code corrupt} write buffers they do not read; {@code epilogueBackward} writes {@code dz} apart from
 * {@code dOut}), so they repeat on the same data. {@code adamW} updates its parameters in place, as training does;
 * its cost does not depend on the values. Its four buffers are separate arrays at offset 0, like a
 * {@code ParameterSet}'s, so the kernel takes its vectorised aligned path.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar OpsBenchmark} (the annotations give 1 fork, 3 x 1 s warm-up,
 * 5 x 1 s measurement). {@code threads} is the CPU backend's worker count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpsBenchmark {

    static final int BATCH = 128;
    static final int INPUT = 784;
    static final int HIDDEN = 1000;
    static final int CLASSES = 10;
    /** Lifetime sparsity winners: ceil(0.05 · 128), the default's k. */
    static final int TOP_K = 7;
    /** One AE/DAE cell's parameters: encoder and decoder weights, then both biases. */
    static final int CELL_PARAMS = INPUT * HIDDEN * 2 + HIDDEN + INPUT;

    /** GEMM FLOP of x·w for 128 x 784 times 784 x 1000. */
    static final int DENSE_FORWARD_FLOP = 2 * BATCH * INPUT * HIDDEN;
    /** GEMM FLOP of dw = xᵀ·dz plus dx = dz·wᵀ (each as many as the forward). */
    static final int DENSE_BACKWARD_FLOP = 2 * DENSE_FORWARD_FLOP;
    /** ReLU backward, dz = dOut · deriv: read dOut, deriv; write dz: 12 bytes per element of 128 x 1000. */
    static final int EPILOGUE_BACKWARD_BYTES = 12 * BATCH * HIDDEN;
    /**
     * ReLU + layer-norm backward: read dOut, out, deriv (the second sweep re-reads a row still in L1), write dz:
     * 16 bytes per element of 128 x 1000 (rowScale, 128 floats, not counted).
     */
    static final int EPILOGUE_BACKWARD_LN_BYTES = 16 * BATCH * HIDDEN;
    /** Restoring out and deriv: two copies, each reading and writing 4 bytes: 16 bytes per element of 128 x 1000. */
    static final int RESTORE_BYTES = 16 * BATCH * HIDDEN;
    /**
     * Restore (16) plus the op: read out once (the second sweep re-reads it from cache), write out and deriv
     * where dropped (121 of 128 per column; counted for all): 12. Total 28 bytes per element of 128 x 1000.
     */
    static final int TOPK_BYTES = RESTORE_BYTES + 12 * BATCH * HIDDEN;
    /** MSE and its gradient: read out, target, deriv; write dz: 16 bytes per element of 128 x 784. */
    static final int MSE_BYTES = 16 * BATCH * INPUT;
    /**
     * Softmax cross-entropy: read logits (three sweeps of a 10-float row count once), write dLogits: 8 bytes per
     * element of 128 x 10, plus 4 bytes per row for the label.
     */
    static final int SOFTMAX_CE_BYTES = 8 * BATCH * CLASSES + 4 * BATCH;
    /** Corruption: read x, write out: 8 bytes per element of 128 x 784 (the noise is computed, not read). */
    static final int CORRUPT_BYTES = 8 * BATCH * INPUT;
    /** AdamW: read params, grads, m, v; write params, m, v: 28 bytes per parameter. */
    static final int ADAMW_BYTES = 28 * CELL_PARAMS;

    private static final Epilogue RELU = Epilogue.of(Activation.RELU);
    private static final Epilogue RELU_LAYER_NORM = new Epilogue(Activation.RELU, 0, true);
    private static final Noise NOISE = new Noise(0.1f, 0.1f);
    private static final AdamW ADAMW = AdamW.DEFAULT.withLr(3e-3);

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    // dense layer 784 -> 1000
    private Tensor x;
    private Tensor w;
    private Tensor b;
    private Tensor hidden;
    private Tensor deriv;
    private Tensor rowScale;
    private Tensor dHidden;
    private Tensor dz;
    private Tensor dw;
    private Tensor db;
    private Tensor dx;
    // lifetime sparsity on 128 x 1000
    private Tensor topKOut;
    private Tensor topKDeriv;
    private Tensor pristineOut;
    private Tensor pristineDeriv;
    // losses
    private Tensor reconstruction;
    private Tensor target;
    private Tensor reconstructionDeriv;
    private Tensor dReconstruction;
    private Tensor logits;
    private Tensor labels;
    private Tensor dLogits;
    private Tensor acc;
    // corruption
    private Tensor corrupted;
    private long corruptStream;
    // AdamW over one cell
    private Tensor params;
    private Tensor grads;
    private Tensor m;
    private Tensor v;
    private int decayCount;
    private int step;

    @Setup(Level.Trial)
    public void setup() {
        backend = new CpuBackend(threads);
        SplittableRandom rnd = new SplittableRandom(42);

        x = uniform(rnd, BATCH, INPUT, 0f, 1f);
        w = uniform(rnd, INPUT, HIDDEN, -0.05f, 0.05f);
        b = uniform(rnd, 1, HIDDEN, -0.05f, 0.05f);
        hidden = backend.zeros(BATCH, HIDDEN);
        deriv = backend.zeros(BATCH, HIDDEN);
        rowScale = backend.zeros(BATCH, 1);
        // A forward with layer norm leaves out, deriv and rowScale as epilogueBackward finds them in training.
        backend.denseForward(x, w, b, RELU_LAYER_NORM, hidden, deriv, rowScale);
        dHidden = uniform(rnd, BATCH, HIDDEN, -1f, 1f);
        dz = backend.zeros(BATCH, HIDDEN);
        dw = backend.zeros(INPUT, HIDDEN);
        db = backend.zeros(1, HIDDEN);
        dx = backend.zeros(BATCH, INPUT);

        // A ReLU output: about half zeros, the rest positive; deriv = 1 where positive.
        float[] out = new float[BATCH * HIDDEN];
        float[] der = new float[BATCH * HIDDEN];
        for (int i = 0; i < out.length; i++) {
            float z = (float) (rnd.nextDouble() * 2 - 1);
            out[i] = Math.max(z, 0f);
            der[i] = z > 0f ? 1f : 0f;
        }
        pristineOut = backend.zeros(BATCH, HIDDEN);
        pristineDeriv = backend.zeros(BATCH, HIDDEN);
        backend.upload(out, 0, pristineOut);
        backend.upload(der, 0, pristineDeriv);
        topKOut = backend.zeros(BATCH, HIDDEN);
        topKDeriv = backend.zeros(BATCH, HIDDEN);

        reconstruction = uniform(rnd, BATCH, INPUT, 0f, 1f);
        target = uniform(rnd, BATCH, INPUT, 0f, 1f);
        reconstructionDeriv = uniform(rnd, BATCH, INPUT, 0f, 0.25f);
        dReconstruction = backend.zeros(BATCH, INPUT);
        logits = uniform(rnd, BATCH, CLASSES, -3f, 3f);
        labels = backend.zeros(BATCH, 1);
        float[] y = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = rnd.nextInt(CLASSES);
        }
        backend.upload(y, 0, labels);
        dLogits = backend.zeros(BATCH, CLASSES);
        acc = backend.zeros(1, 4);

        corrupted = backend.zeros(BATCH, INPUT);

        params = uniform(rnd, 1, CELL_PARAMS, -0.05f, 0.05f);
        grads = uniform(rnd, 1, CELL_PARAMS, -0.01f, 0.01f);
        m = backend.zeros(1, CELL_PARAMS);
        v = backend.zeros(1, CELL_PARAMS);
        decayCount = INPUT * HIDDEN * 2;
        step = 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    /** GFLOP/s (GEMM FLOP only): the cell encoder's training forward, ReLU, writing the derivative. */
    @Benchmark
    @OperationsPerInvocation(DENSE_FORWARD_FLOP)
    public Tensor denseForwardRelu() {
        backend.denseForward(x, w, b, RELU, hidden, deriv, null);
        return hidden;
    }

    /** GFLOP/s (GEMM FLOP only): the latent's (and BP layer's) training forward, ReLU then layer norm. */
    @Benchmark
    @OperationsPerInvocation(DENSE_FORWARD_FLOP)
    public Tensor denseForwardReluLayerNorm() {
        backend.denseForward(x, w, b, RELU_LAYER_NORM, hidden, deriv, rowScale);
        return hidden;
    }

    /** GB/s: ReLU epilogue backward on 128 x 1000 (the cell encoder's). */
    @Benchmark
    @OperationsPerInvocation(EPILOGUE_BACKWARD_BYTES)
    public Tensor epilogueBackward() {
        backend.epilogueBackward(dHidden, hidden, deriv, null, RELU, dz);
        return dz;
    }

    /** GB/s: ReLU + layer-norm epilogue backward on 128 x 1000 (a BP layer's). */
    @Benchmark
    @OperationsPerInvocation(EPILOGUE_BACKWARD_LN_BYTES)
    public Tensor epilogueBackwardLayerNorm() {
        backend.epilogueBackward(dHidden, hidden, deriv, rowScale, RELU_LAYER_NORM, dz);
        return dz;
    }

    /** GFLOP/s (GEMM FLOP only): dw, db and dx of the 784 -> 1000 layer. */
    @Benchmark
    @OperationsPerInvocation(DENSE_BACKWARD_FLOP)
    public Tensor denseBackward() {
        backend.denseBackward(x, w, dHidden, dw, db, dx);
        return dx;
    }

    /** GB/s, restore included (see the class comment): lifetime sparsity, k = 7 of 128 rows, 1000 columns. */
    @Benchmark
    @OperationsPerInvocation(TOPK_BYTES)
    public Tensor keepTopKPerColumn() {
        backend.copy(pristineOut, topKOut);
        backend.copy(pristineDeriv, topKDeriv);
        backend.keepTopKPerColumn(topKOut, topKDeriv, TOP_K);
        return topKOut;
    }

    /** GB/s: the two copies that {@link #keepTopKPerColumn} makes before the op, alone. */
    @Benchmark
    @OperationsPerInvocation(RESTORE_BYTES)
    public Tensor keepTopKPerColumnRestoreOnly() {
        backend.copy(pristineOut, topKOut);
        backend.copy(pristineDeriv, topKDeriv);
        return topKOut;
    }

    /** GB/s: reconstruction loss and gradient on 128 x 784. */
    @Benchmark
    @OperationsPerInvocation(MSE_BYTES)
    public Tensor mseLoss() {
        backend.mseLoss(reconstruction, target, reconstructionDeriv, dReconstruction, acc, 0);
        return dReconstruction;
    }

    /** GB/s: the head's loss, accuracy count and gradient on 128 x 10. */
    @Benchmark
    @OperationsPerInvocation(SOFTMAX_CE_BYTES)
    public Tensor softmaxCrossEntropy() {
        backend.softmaxCrossEntropy(logits, labels, dLogits, acc, 2);
        return dLogits;
    }

    /** GB/s: the DAE's masking and Gaussian noise on 128 x 784, a new stream each call as in training. */
    @Benchmark
    @OperationsPerInvocation(CORRUPT_BYTES)
    public Tensor corrupt() {
        backend.corrupt(x, NOISE, 1L, corruptStream++, corrupted);
        return corrupted;
    }

    /** GB/s: one AdamW step over one AE/DAE cell's 1,569,784 parameters. */
    @Benchmark
    @OperationsPerInvocation(ADAMW_BYTES)
    public Tensor adamW() {
        backend.adamW(ADAMW, 1f, ++step, params, grads, m, v, decayCount);
        return params;
    }

    private Tensor uniform(SplittableRandom rnd, int rows, int cols, float lo, float hi) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = lo + (float) rnd.nextDouble() * (hi - lo);
        }
        Tensor t = backend.zeros(rows, cols);
        backend.upload(data, 0, t);
        return t;
    }
}
