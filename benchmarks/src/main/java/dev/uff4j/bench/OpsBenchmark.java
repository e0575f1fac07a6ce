package dev.uff4j.bench;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Every {@link Backend} op of one training step of the default models (UFF with one DAE cell, and BP), at the
 * default shapes: batch 128, input 784, hidden 1000, 10 classes, and the remaining small ops (the GAN generator's
 * normal noise, the cae cell's mask multiply, transfers and metrics); on each backend the {@code backend} parameter
 * names ({@code cpu} by default; {@code -p backend=cpu,cuda} adds the GPU, see {@link BenchBackends} for
 * {@code cuda-kernel} and {@code cuda-tf32}). The convolutional ops are in {@link ConvOpsBenchmark}, the
 * Forward-Forward ones in {@link GoodnessOpsBenchmark}.
 *
 * <p><b>Units.</b> Throughput, output unit seconds. Every method prints two rows:
 * <ul>
 *   <li>the primary score, {@code ops/s}, is <b>calls per second</b>; the time of one call is its inverse
 *       (1 / score s, e.g. 925 ops/s is 1.08 ms per call);</li>
 *   <li>a secondary row {@code <method>:gflop} or {@code <method>:gbyte}, also in "ops/s", is the same run's
 *       <b>GFLOP/s</b> or <b>GB/s</b> (10^9 bytes per second): an {@code @AuxCounters} state adds the GFLOP or GB
 *       of one call (the constants below) per call, and JMH divides by the measured time. Both rows land in
 *       {@code -rf json} (the second under {@code secondaryMetrics}).</li>
 * </ul>
 * Higher is better for both.
 *
 * <p><b>What is counted.</b>
 * <ul>
 *   <li>GFLOP/s ({@code :gflop}): the GEMM only, 2·M·K·N per product; the epilogue (bias, activation, layer norm,
 *       derivative) and {@code denseBackward}'s bias column sum are not counted. The encoder, the decoder and a BP
 *       layer each do 2·128·784·1000 = 200,704,000 FLOP per product; the head 2·128·1000·10 = 2,560,000;
 *       {@code denseBackward} with dx does two products (dW = xᵀ·dz and dx = dz·wᵀ), without dx one.</li>
 *   <li>GB/s ({@code :gbyte}): the distinct float arrays each op reads or writes, once each, 4 bytes per float per
 *       read or write; not cache-line or DRAM traffic (the comment on each constant lists them). The tensors (0.4
 *       to 2 MB per op, 25 MB for AdamW) mostly stay in the CPU's caches or the GPU's L2 between calls, so these
 *       are cache bandwidths more than memory bandwidths. {@code uploadRows} counts the gather: 4 bytes read from
 *       the host array and 4 written to the tensor per element (on the GPU, the 4 written bytes cross PCIe;
 *       the pinned staging copy on the host is not counted).</li>
 * </ul>
 *
 * <p><b>Every method ends with {@link Backend#synchronize()}.</b> The CUDA backend only queues work on a stream;
 * without the wait the score would be the launch rate, not the op. The price is that, on the GPU, each call's
 * time includes one host-device round trip: {@code cuStreamSynchronize}, plus the backend's check of its device
 * error record (a 20-byte device-to-host copy and a second synchronize). That is of the order of 10-30 µs, which
 * dominates the small ops (softmax cross-entropy, the head's forward, the epilogue backward): for those the score
 * is a bound on latency, not the kernel's throughput, and training (which synchronises once per reporting
 * interval, not per op) does better. {@link #synchronizeOnly} measures that round trip alone (no op, no counter):
 * an op's own time is about {@code 1 / score(op) - 1 / score(synchronizeOnly)} seconds. On the CPU
 * {@code synchronize} is a no-op and {@code synchronizeOnly} just measures an empty call.
 *
 * <p><b>{@code keepTopKPerColumn} is destructive</b> (it zeroes all but the k largest values of each column of
 * {@code out} and {@code deriv}), so each call first restores both tensors from pristine copies inside the
 * benchmark method ({@code @Setup(Level.Invocation)} would add timer overhead of the same order as this sub-ms op).
 * The restore is part of the measured time and its bytes are counted; nothing is subtracted.
 * {@code keepTopKPerColumnRestoreOnly} measures the restore alone, so the op's own time is about
 * {@code 1 / score(keepTopKPerColumn) - 1 / score(keepTopKPerColumnRestoreOnly)} seconds.
 *
 * <p>The other ops are idempotent on their inputs ({@code denseForward} overwrites its outputs, the losses and
 * {@code corrupt} write buffers they do not read; {@code epilogueBackward} writes {@code dz} apart from
 * {@code dOut}), so they repeat on the same data. {@code adamW} updates its parameters in place, as training does;
 * its cost does not depend on the values. Its four buffers are separate tensors, like a {@code ParameterSet}'s.
 *
 * <p><b>Parameters.</b> {@code backend}: {@code cpu} (default), {@code cuda}, {@code cuda-kernel},
 * {@code cuda-tf32}. A {@code cuda*} value without a usable GPU fails in {@code @Setup} with the probe's reason
 * (printed on stderr too); JMH reports that benchmark as failed and goes on. {@code threads}: the CPU backend's
 * worker count; the GPU backends ignore it, so on a GPU machine give one value ({@code -p threads=N}) or every
 * CUDA case runs once per value.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar OpsBenchmark} (the annotations give 1 fork, 3 x 1 s warm-up,
 * 5 x 1 s measurement); on a GPU machine, e.g.
 * {@code java -jar target/benchmarks.jar 'OpsBenchmark|TrainingStepBenchmark' -f 1 -wi 2 -i 3 -w 1s -r 1s
 * -p backend=cpu,cuda -p threads=16 -rf json -rff jmh-gpu.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
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
    /** One AE/DAE cell's parameters: encoder and decoder weights, then both biases: 1,569,784. */
    static final int CELL_PARAMS = INPUT * HIDDEN * 2 + HIDDEN + INPUT;
    /** Rows of the host array {@code uploadRows} gathers from: the MNIST training set's 60,000 (188 MB). */
    static final int SOURCE_ROWS = 60_000;

    private static final double GIGA = 1e-9;

    /** GEMM FLOP of x·w for 128 x 784 times 784 x 1000 (the encoder; the decoder's 1000 -> 784 is the same). */
    static final long DENSE_FORWARD_FLOP = 2L * BATCH * INPUT * HIDDEN;
    /** GEMM FLOP of the head's 128 x 1000 times 1000 x 10. */
    static final long HEAD_FORWARD_FLOP = 2L * BATCH * HIDDEN * CLASSES;
    /** GEMM FLOP of dw = xᵀ·dz plus dx = dz·wᵀ (each as many as the forward). */
    static final long DENSE_BACKWARD_FLOP = 2 * DENSE_FORWARD_FLOP;
    /** GEMM FLOP of dw = xᵀ·dz alone (the first layer's backward: no dx). */
    static final long DENSE_BACKWARD_NO_DX_FLOP = DENSE_FORWARD_FLOP;
    /** ReLU backward, dz = dOut · deriv: read dOut, deriv; write dz: 12 bytes per element of 128 x 1000. */
    static final long EPILOGUE_BACKWARD_BYTES = 12L * BATCH * HIDDEN;
    /**
     * ReLU + layer-norm backward: read dOut, out, deriv (the second sweep re-reads a row still in L1), write dz:
     * 16 bytes per element of 128 x 1000 (rowScale, 128 floats, not counted).
     */
    static final long EPILOGUE_BACKWARD_LN_BYTES = 16L * BATCH * HIDDEN;
    /** Restoring out and deriv: two copies, each reading and writing 4 bytes: 16 bytes per element of 128 x 1000. */
    static final long RESTORE_BYTES = 16L * BATCH * HIDDEN;
    /**
     * Restore (16) plus the op: read out once (the second sweep re-reads it from cache), write out and deriv
     * where dropped (121 of 128 per column; counted for all): 12. Total 28 bytes per element of 128 x 1000.
     */
    static final long TOPK_BYTES = RESTORE_BYTES + 12L * BATCH * HIDDEN;
    /** MSE and its gradient: read out, target, deriv; write dz: 16 bytes per element of 128 x 784. */
    static final long MSE_BYTES = 16L * BATCH * INPUT;
    /**
     * Softmax cross-entropy: read logits (three sweeps of a 10-float row count once), write dLogits: 8 bytes per
     * element of 128 x 10, plus 4 bytes per row for the label.
     */
    static final long SOFTMAX_CE_BYTES = 8L * BATCH * CLASSES + 4L * BATCH;
    /** Corruption: read x, write out: 8 bytes per element of 128 x 784 (the noise is computed, not read). */
    static final long CORRUPT_BYTES = 8L * BATCH * INPUT;
    /** AdamW: read params, grads, m, v; write params, m, v: 28 bytes per parameter. */
    static final long ADAMW_BYTES = 28L * CELL_PARAMS;
    /** Gathering a 128 x 784 batch: read the source rows, write the tensor: 8 bytes per element. */
    static final long UPLOAD_ROWS_BYTES = 8L * BATCH * INPUT;
    /** The GAN generator's input: 128 x 64 normal numbers, written. */
    static final int NOISE_WIDTH = 64;
    static final long RANDN_BYTES = 4L * BATCH * NOISE_WIDTH;
    /** The cae cell's latent, 128 x 32 x 14 x 14, times its mask in place: read both, write one. */
    static final int CAE_LATENT = 32 * 14 * 14;
    static final long MUL_MASK_BYTES = 12L * BATCH * CAE_LATENT;
    /** L1 penalty on 128 x 1000: read a, read and write grad. */
    static final long L1_BYTES = 12L * BATCH * HIDDEN;
    /** Copying 128 x 1000 into (or adding it from) a 128 x 2000 concatenation: read and write 128 x 1000. */
    static final long COLUMNS_BYTES = 8L * BATCH * HIDDEN;
    /** Reading a 128 x 1000 tensor back to the host (on the GPU, across PCIe). */
    static final long DOWNLOAD_BYTES = 4L * BATCH * HIDDEN;

    private static final Epilogue RELU = Epilogue.of(Activation.RELU);
    private static final Epilogue RELU_LAYER_NORM = new Epilogue(Activation.RELU, 0, true);
    private static final Epilogue SIGMOID = Epilogue.of(Activation.SIGMOID);
    private static final Epilogue IDENTITY = Epilogue.of(Activation.IDENTITY);
    private static final Noise NOISE = new Noise(0.1f, 0.1f);
    private static final AdamW ADAMW = AdamW.DEFAULT.withLr(3e-3);

    /** GFLOP of the calls of one run, as JMH's secondary {@code :gflop} row (GFLOP/s). Reset every iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    /** GB of the calls of one run, as JMH's secondary {@code :gbyte} row (GB/s). Reset every iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double gbyte;
    }

    /**
     * The host array {@code uploadRows} gathers from and a shuffled order, as the trainer has them; a state of its
     * own so only that benchmark allocates the 188 MB.
     */
    @State(Scope.Benchmark)
    public static class HostBatches {
        float[] pixels;
        int[] labels;
        int[] order;
        int from;

        @Setup(Level.Trial)
        public void setup() {
            pixels = new float[SOURCE_ROWS * INPUT];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (i % 251) / 251f;
            }
            order = new int[SOURCE_ROWS];
            labels = new int[SOURCE_ROWS];
            for (int i = 0; i < SOURCE_ROWS; i++) {
                order[i] = i;
                labels[i] = i % CLASSES;
            }
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = SOURCE_ROWS - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }

        /** The next batch's first index into {@link #order}, wrapping like epochs do. */
        int next() {
            int f = from;
            from = from + 2 * BATCH > SOURCE_ROWS ? 0 : from + BATCH;
            return f;
        }
    }

    @Param({"cpu"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Backend be;
    // encoder 784 -> 1000
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
    // decoder 1000 -> 784 (sigmoid) and head 1000 -> 10 (identity), both reading a ReLU latent
    private Tensor latent;
    private Tensor wDecoder;
    private Tensor bDecoder;
    private Tensor reconstructionOut;
    private Tensor reconstructionOutDeriv;
    private Tensor wHead;
    private Tensor bHead;
    private Tensor logitsOut;
    private Tensor logitsOutDeriv;
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
    // uploadRows
    private Tensor batch;
    // the rest
    private Tensor noise;
    private long noiseStream;
    private Tensor caeLatent;
    private Tensor caeMask;
    private Tensor latents;
    private Tensor predicted;
    private float[] host;

    @Setup(Level.Trial)
    public void setup() {
        be = BenchBackends.open(backend, threads);
        SplittableRandom rnd = new SplittableRandom(42);

        x = uniform(rnd, BATCH, INPUT, 0f, 1f);
        w = uniform(rnd, INPUT, HIDDEN, -0.05f, 0.05f);
        b = uniform(rnd, 1, HIDDEN, -0.05f, 0.05f);
        hidden = be.zeros(BATCH, HIDDEN);
        deriv = be.zeros(BATCH, HIDDEN);
        rowScale = be.zeros(BATCH, 1);
        // A forward with layer norm leaves out, deriv and rowScale as epilogueBackward finds them in training.
        be.denseForward(x, w, b, RELU_LAYER_NORM, hidden, deriv, rowScale);
        dHidden = uniform(rnd, BATCH, HIDDEN, -1f, 1f);
        dz = be.zeros(BATCH, HIDDEN);
        dw = be.zeros(INPUT, HIDDEN);
        db = be.zeros(1, HIDDEN);
        dx = be.zeros(BATCH, INPUT);

        // A ReLU output: about half zeros, the rest positive; deriv = 1 where positive.
        float[] out = new float[BATCH * HIDDEN];
        float[] der = new float[BATCH * HIDDEN];
        for (int i = 0; i < out.length; i++) {
            float z = (float) (rnd.nextDouble() * 2 - 1);
            out[i] = Math.max(z, 0f);
            der[i] = z > 0f ? 1f : 0f;
        }
        pristineOut = be.zeros(BATCH, HIDDEN);
        pristineDeriv = be.zeros(BATCH, HIDDEN);
        be.upload(out, 0, pristineOut);
        be.upload(der, 0, pristineDeriv);
        topKOut = be.zeros(BATCH, HIDDEN);
        topKDeriv = be.zeros(BATCH, HIDDEN);

        latent = be.zeros(BATCH, HIDDEN);
        be.upload(out, 0, latent);
        wDecoder = uniform(rnd, HIDDEN, INPUT, -0.05f, 0.05f);
        bDecoder = uniform(rnd, 1, INPUT, -0.05f, 0.05f);
        reconstructionOut = be.zeros(BATCH, INPUT);
        reconstructionOutDeriv = be.zeros(BATCH, INPUT);
        wHead = uniform(rnd, HIDDEN, CLASSES, -0.05f, 0.05f);
        bHead = uniform(rnd, 1, CLASSES, -0.05f, 0.05f);
        logitsOut = be.zeros(BATCH, CLASSES);
        logitsOutDeriv = be.zeros(BATCH, CLASSES);

        reconstruction = uniform(rnd, BATCH, INPUT, 0f, 1f);
        target = uniform(rnd, BATCH, INPUT, 0f, 1f);
        reconstructionDeriv = uniform(rnd, BATCH, INPUT, 0f, 0.25f);
        dReconstruction = be.zeros(BATCH, INPUT);
        logits = uniform(rnd, BATCH, CLASSES, -3f, 3f);
        labels = be.zeros(BATCH, 1);
        float[] y = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = rnd.nextInt(CLASSES);
        }
        be.upload(y, 0, labels);
        dLogits = be.zeros(BATCH, CLASSES);
        acc = be.zeros(1, 4);

        corrupted = be.zeros(BATCH, INPUT);

        params = uniform(rnd, 1, CELL_PARAMS, -0.05f, 0.05f);
        grads = uniform(rnd, 1, CELL_PARAMS, -0.01f, 0.01f);
        m = be.zeros(1, CELL_PARAMS);
        v = be.zeros(1, CELL_PARAMS);
        decayCount = INPUT * HIDDEN * 2;
        step = 0;

        batch = be.zeros(BATCH, INPUT);
        noise = be.zeros(BATCH, NOISE_WIDTH);
        caeLatent = uniform(rnd, BATCH, CAE_LATENT, 0f, 1f);
        float[] mask = new float[BATCH * CAE_LATENT];
        for (int i = 0; i < mask.length; i += 50) {
            mask[i] = 1f; // 2% kept, as cae cells on MNIST keep
        }
        caeMask = be.zeros(BATCH, CAE_LATENT);
        be.upload(mask, 0, caeMask);
        latents = be.zeros(BATCH, 2 * HIDDEN);
        predicted = be.zeros(BATCH, 1);
        host = new float[BATCH * HIDDEN];
        be.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    /** No op: the cost of the {@code synchronize} every other method ends with (see the class comment). */
    @Benchmark
    public Backend synchronizeOnly() {
        be.synchronize();
        return be;
    }

    /** The encoder's training forward, 784 -> 1000, ReLU, writing the derivative. */
    @Benchmark
    public Tensor denseForwardRelu(Flops f) {
        be.denseForward(x, w, b, RELU, hidden, deriv, null);
        be.synchronize();
        f.gflop += DENSE_FORWARD_FLOP * GIGA;
        return hidden;
    }

    /** A BP layer's training forward, 784 -> 1000, ReLU then layer norm, writing deriv and rowScale. */
    @Benchmark
    public Tensor denseForwardReluLayerNorm(Flops f) {
        be.denseForward(x, w, b, RELU_LAYER_NORM, hidden, deriv, rowScale);
        be.synchronize();
        f.gflop += DENSE_FORWARD_FLOP * GIGA;
        return hidden;
    }

    /** The latent passed on (UFF) or evaluated: inference forward, 784 -> 1000, ReLU then layer norm. */
    @Benchmark
    public Tensor denseForwardReluLayerNormInference(Flops f) {
        be.denseForward(x, w, b, RELU_LAYER_NORM, hidden, null, null);
        be.synchronize();
        f.gflop += DENSE_FORWARD_FLOP * GIGA;
        return hidden;
    }

    /** The decoder's training forward, 1000 -> 784, sigmoid, writing the derivative. */
    @Benchmark
    public Tensor denseForwardSigmoid(Flops f) {
        be.denseForward(latent, wDecoder, bDecoder, SIGMOID, reconstructionOut, reconstructionOutDeriv, null);
        be.synchronize();
        f.gflop += DENSE_FORWARD_FLOP * GIGA;
        return reconstructionOut;
    }

    /** The linear head's training forward, 1000 -> 10. */
    @Benchmark
    public Tensor denseForwardHead(Flops f) {
        be.denseForward(latent, wHead, bHead, IDENTITY, logitsOut, logitsOutDeriv, null);
        be.synchronize();
        f.gflop += HEAD_FORWARD_FLOP * GIGA;
        return logitsOut;
    }

    /** ReLU epilogue backward on 128 x 1000 (the cell encoder's). */
    @Benchmark
    public Tensor epilogueBackward(Bytes c) {
        be.epilogueBackward(dHidden, hidden, deriv, null, RELU, dz);
        be.synchronize();
        c.gbyte += EPILOGUE_BACKWARD_BYTES * GIGA;
        return dz;
    }

    /** ReLU + layer-norm epilogue backward on 128 x 1000 (a BP layer's). */
    @Benchmark
    public Tensor epilogueBackwardLayerNorm(Bytes c) {
        be.epilogueBackward(dHidden, hidden, deriv, rowScale, RELU_LAYER_NORM, dz);
        be.synchronize();
        c.gbyte += EPILOGUE_BACKWARD_LN_BYTES * GIGA;
        return dz;
    }

    /** dw, db and dx of a 784 x 1000 layer (the decoder's backward has the same GEMM FLOP). */
    @Benchmark
    public Tensor denseBackward(Flops f) {
        be.denseBackward(x, w, dHidden, dw, db, dx);
        be.synchronize();
        f.gflop += DENSE_BACKWARD_FLOP * GIGA;
        return dx;
    }

    /** dw and db only: the encoder's (and a first BP layer's) backward, which needs no input gradient. */
    @Benchmark
    public Tensor denseBackwardNoDx(Flops f) {
        be.denseBackward(x, w, dHidden, dw, db, null);
        be.synchronize();
        f.gflop += DENSE_BACKWARD_NO_DX_FLOP * GIGA;
        return dw;
    }

    /** Restore included (see the class comment): lifetime sparsity, k = 7 of 128 rows, 1000 columns. */
    @Benchmark
    public Tensor keepTopKPerColumn(Bytes c) {
        be.copy(pristineOut, topKOut);
        be.copy(pristineDeriv, topKDeriv);
        be.keepTopKPerColumn(topKOut, topKDeriv, TOP_K);
        be.synchronize();
        c.gbyte += TOPK_BYTES * GIGA;
        return topKOut;
    }

    /** The two copies that {@link #keepTopKPerColumn} makes before the op, alone. */
    @Benchmark
    public Tensor keepTopKPerColumnRestoreOnly(Bytes c) {
        be.copy(pristineOut, topKOut);
        be.copy(pristineDeriv, topKDeriv);
        be.synchronize();
        c.gbyte += RESTORE_BYTES * GIGA;
        return topKOut;
    }

    /** Reconstruction loss and gradient on 128 x 784. */
    @Benchmark
    public Tensor mseLoss(Bytes c) {
        be.mseLoss(reconstruction, target, reconstructionDeriv, dReconstruction, acc, 0);
        be.synchronize();
        c.gbyte += MSE_BYTES * GIGA;
        return dReconstruction;
    }

    /** The head's loss, accuracy count and gradient on 128 x 10. */
    @Benchmark
    public Tensor softmaxCrossEntropy(Bytes c) {
        be.softmaxCrossEntropy(logits, labels, dLogits, acc, 2);
        be.synchronize();
        c.gbyte += SOFTMAX_CE_BYTES * GIGA;
        return dLogits;
    }

    /** The DAE's masking and Gaussian noise on 128 x 784, a new stream each call as in training. */
    @Benchmark
    public Tensor corrupt(Bytes c) {
        be.corrupt(x, NOISE, 1L, corruptStream++, corrupted);
        be.synchronize();
        c.gbyte += CORRUPT_BYTES * GIGA;
        return corrupted;
    }

    /** One AdamW step over one AE/DAE cell's 1,569,784 parameters. */
    @Benchmark
    public Tensor adamW(Bytes c) {
        be.adamW(ADAMW, 1f, ++step, params, grads, m, v, decayCount);
        be.synchronize();
        c.gbyte += ADAMW_BYTES * GIGA;
        return params;
    }

    /** A shuffled 128 x 784 mini-batch gathered from a 60,000-row host array into a tensor, as the trainer does. */
    @Benchmark
    public Tensor uploadRows(HostBatches h, Bytes c) {
        be.uploadRows(h.pixels, h.order, h.next(), batch);
        be.synchronize();
        c.gbyte += UPLOAD_ROWS_BYTES * GIGA;
        return batch;
    }

    /** The GAN generator's input: 128 x 64 standard normal numbers, a new stream each call as in training. */
    @Benchmark
    public Tensor randn(Bytes c) {
        be.randn(noise, 0f, 1f, 1L, noiseStream++);
        be.synchronize();
        c.gbyte += RANDN_BYTES * GIGA;
        return noise;
    }

    /** The cae cell's latent gradient times its lifetime-sparsity mask, in place (the values reach 0 and stay). */
    @Benchmark
    public Tensor mulMask(Bytes c) {
        be.mulMask(caeLatent, caeMask, caeLatent);
        be.synchronize();
        c.gbyte += MUL_MASK_BYTES * GIGA;
        return caeLatent;
    }

    /** An L1 penalty on a 128 x 1000 latent and its gradient. */
    @Benchmark
    public Tensor l1Penalty(Bytes c) {
        be.l1Penalty(latent, 1e-4f, dHidden, acc, 3);
        be.synchronize();
        c.gbyte += L1_BYTES * GIGA;
        return dHidden;
    }

    /** Evaluation: correct predictions of a batch, counted on the backend. */
    @Benchmark
    public Tensor countCorrect() {
        be.countCorrect(logits, labels, acc, 0);
        be.synchronize();
        return acc;
    }

    /** Prediction: the arg-max of each row's logits. */
    @Benchmark
    public Tensor argmaxRows() {
        be.argmaxRows(logits, predicted);
        be.synchronize();
        return predicted;
    }

    /** A cell's latent copied into the head's concatenated input (two cells of 1000). */
    @Benchmark
    public Tensor copyColumns(Bytes c) {
        be.copyColumns(hidden, latents, HIDDEN);
        be.synchronize();
        c.gbyte += COLUMNS_BYTES * GIGA;
        return latents;
    }

    /** The backward of {@link #copyColumns} (bp with a head on every layer). */
    @Benchmark
    public Tensor addColumns(Bytes c) {
        be.addColumns(latents, HIDDEN, dz);
        be.synchronize();
        c.gbyte += COLUMNS_BYTES * GIGA;
        return dz;
    }

    /** A 128 x 1000 tensor read back to the host (reports, checkpoints and embed do this, never a step). */
    @Benchmark
    public float[] download(Bytes c) {
        be.download(hidden, host, 0);
        c.gbyte += DOWNLOAD_BYTES * GIGA;
        return host;
    }

    /** A tensor filled with one value (accumulators are reset this way). */
    @Benchmark
    public Tensor fill(Bytes c) {
        be.fill(hidden, 0.5f);
        be.synchronize();
        c.gbyte += DOWNLOAD_BYTES * GIGA;
        return hidden;
    }

    /** A 128 x 784 host array uploaded whole (parameters at load time; batches go through {@link #uploadRows}). */
    @Benchmark
    public Tensor upload(HostBatches h, Bytes c) {
        be.upload(h.pixels, 0, batch);
        be.synchronize();
        c.gbyte += UPLOAD_ROWS_BYTES * GIGA;
        return batch;
    }

    /** A batch's labels gathered in shuffled order. */
    @Benchmark
    public Tensor uploadLabels(HostBatches h) {
        be.uploadLabels(h.labels, h.order, h.next(), predicted);
        be.synchronize();
        return predicted;
    }

    private Tensor uniform(SplittableRandom rnd, int rows, int cols, float lo, float hi) {
        return uniform(be, rnd, rows, cols, lo, hi);
    }

    /** A {@code rows x cols} tensor of {@code be} filled uniformly in [lo, hi). */
    static Tensor uniform(Backend be, SplittableRandom rnd, int rows, int cols, float lo, float hi) {
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = lo + (float) rnd.nextDouble() * (hi - lo);
        }
        Tensor t = be.zeros(rows, cols);
        be.upload(data, 0, t);
        return t;
    }
}
