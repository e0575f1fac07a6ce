package dev.uff4j.bench;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Forward-Forward ops of one step of the default ff model, at its shapes: a batch of 128 positive and 128
 * negative samples (256 rows) of 784 inputs, layers of 1000 units, 10 classes. Units and conventions are
 * {@link OpsBenchmark}'s ({@code :gbyte}: the distinct float arrays read and written); every call ends with
 * {@code synchronize()}. Parameters: {@code backend} and {@code threads} as in {@link OpsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GoodnessOpsBenchmark {
    static final int BATCH = 128;
    static final int ROWS = 2 * BATCH;
    static final int INPUT = 784;
    static final int HIDDEN = 1000;
    static final int CLASSES = 10;
    /** Hinton's temperature for hard negatives, as {@code FfModel} draws them. */
    static final float TEMPERATURE = 10f;
    /** Writing labels into 128 images: read and write 4 bytes per element of 128 x 784. */
    static final long OVERLAY_BYTES = 8L * BATCH * INPUT;
    /** Normalising a layer's input: read and write 256 x 1000. */
    static final long NORMALIZE_BYTES = 8L * ROWS * HIDDEN;
    /** The goodness loss of one half: read h, write dh, 128 x 1000. */
    static final long GOODNESS_LOSS_BYTES = 8L * BATCH * HIDDEN;
    /** A label's goodness: read 128 x 1000. */
    static final long ADD_GOODNESS_BYTES = 4L * BATCH * HIDDEN;
    /** Drawing hard negatives: read 128 x 10 scores and the labels, write a label per row. */
    static final long SAMPLE_BYTES = 4L * BATCH * (CLASSES + 2);
    private static final double GIGA = 1e-9;

    @Param({"cpu"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    private Backend be;
    private Tensor images;
    private Tensor labels;
    private Tensor wrong;
    private Tensor overlaid;
    private Tensor activity;
    private Tensor normalized;
    private Tensor half;
    private Tensor dHalf;
    private Tensor acc;
    private Tensor scores;
    private long stream;

    @Setup(Level.Trial)
    public void setup() {
        be = BenchBackends.open(backend, threads);
        SplittableRandom rnd = new SplittableRandom(42);
        images = OpsBenchmark.uniform(be, rnd, BATCH, INPUT, 0f, 1f);
        float[] y = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = rnd.nextInt(CLASSES);
        }
        labels = be.zeros(BATCH, 1);
        be.upload(y, 0, labels);
        wrong = be.zeros(BATCH, 1);
        overlaid = be.zeros(BATCH, INPUT);
        activity = OpsBenchmark.uniform(be, rnd, ROWS, HIDDEN, 0f, 2f);
        normalized = be.zeros(ROWS, HIDDEN);
        half = OpsBenchmark.uniform(be, rnd, BATCH, HIDDEN, 0f, 2f);
        dHalf = be.zeros(BATCH, HIDDEN);
        acc = be.zeros(1, 2);
        scores = OpsBenchmark.uniform(be, rnd, BATCH, CLASSES, 0f, 3f);
        be.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    /** The true label written into 128 images. */
    @Benchmark
    public Tensor overlayLabels(OpsBenchmark.Bytes c) {
        be.overlayLabels(images, labels, CLASSES, 1f, overlaid);
        be.synchronize();
        c.gbyte += OVERLAY_BYTES * GIGA;
        return overlaid;
    }

    /** A uniformly random wrong label per row, a new stream each call. */
    @Benchmark
    public Tensor wrongLabels() {
        be.wrongLabels(labels, CLASSES, 7, stream++, wrong);
        be.synchronize();
        return wrong;
    }

    /** A hard wrong label per row, drawn from the goodness of every label (temperature 10). */
    @Benchmark
    public Tensor sampleWrongLabels(OpsBenchmark.Bytes c) {
        be.sampleWrongLabels(scores, labels, TEMPERATURE, 7, stream++, wrong);
        be.synchronize();
        c.gbyte += SAMPLE_BYTES * GIGA;
        return wrong;
    }

    /** A layer's input normalised to a root mean square of 1: 256 x 1000. */
    @Benchmark
    public Tensor normalizeRows(OpsBenchmark.Bytes c) {
        be.normalizeRows(activity, normalized);
        be.synchronize();
        c.gbyte += NORMALIZE_BYTES * GIGA;
        return normalized;
    }

    /** The sharpened goodness loss and its gradient on one half (128 x 1000). */
    @Benchmark
    public Tensor goodnessLoss(OpsBenchmark.Bytes c) {
        be.goodnessLoss(half, 30f, 1f, dHalf, acc, 0);
        be.synchronize();
        c.gbyte += GOODNESS_LOSS_BYTES * GIGA;
        return dHalf;
    }

    /** One label's goodness of one layer added to the scores (prediction runs this per label and layer). */
    @Benchmark
    public Tensor addGoodness(OpsBenchmark.Bytes c) {
        be.addGoodness(half, scores, 3);
        be.synchronize();
        c.gbyte += ADD_GOODNESS_BYTES * GIGA;
        return scores;
    }
}
