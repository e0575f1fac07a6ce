package dev.uff4j.bench;

import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
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
 * One full training step, and inference, of a model with the library's defaults ({@link ModelSpecBuilder}: one cell
 * or layer of 1000, batch 128) for MNIST-sized input (784 -> 10) on the CPU backend, on one fixed batch: x uniform
 * in [0, 1], labels uniform in 0..9, both from seed 42.
 * <ul>
 *   <li>{@code trainStep}: {@code model.trainBatch(0, x, labels)}; stage 0 is the whole pipelined step (every cell
 *       and the head step on the batch) for the default schedule. The parameters keep training from call to call,
 *       as in a real epoch.</li>
 *   <li>{@code evaluate}: {@code model.logits(x)}, inference only.</li>
 * </ul>
 *
 * <p><b>Units.</b> Throughput with {@code @OperationsPerInvocation(128)} and the output unit in seconds: the score
 * "ops/s" is <b>samples per second</b> (one operation is one sample of the batch). Higher is better. The time of one
 * step is 128 / score seconds.
 *
 * <p>{@code model}: {@code dae}, {@code ae} (UFF with one denoising / plain autoencoder cell) or {@code bp} (the
 * same encoder and head trained end to end by back-propagation). {@code threads} is the CPU backend's worker count.
 * Each trial builds a fresh model from the default seed.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar TrainingStepBenchmark} (the annotations give 1 fork, 3 x 2 s
 * warm-up, 5 x 2 s measurement).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainingStepBenchmark {

    static final int BATCH = 128;
    static final int INPUT = 784;
    static final int CLASSES = 10;

    @Param({"dae", "ae", "bp"})
    public String model;

    @Param({"1", "2"})
    public int threads;

    private CpuBackend backend;
    private Model net;
    private Tensor x;
    private Tensor labels;

    @Setup(Level.Trial)
    public void setup() {
        backend = new CpuBackend(threads);
        net = Models.create(backend, new ModelSpecBuilder(ModelKind.parse(model), INPUT, CLASSES).build());
        SplittableRandom rnd = new SplittableRandom(42);
        float[] pixels = new float[BATCH * INPUT];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rnd.nextDouble();
        }
        float[] y = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = rnd.nextInt(CLASSES);
        }
        x = backend.zeros(BATCH, INPUT);
        labels = backend.zeros(BATCH, 1);
        backend.upload(pixels, 0, x);
        backend.upload(y, 0, labels);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    /** Samples/s: one training step on the batch of 128. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Model trainStep() {
        net.trainBatch(0, x, labels);
        backend.synchronize();
        return net;
    }

    /** Samples/s: class scores for the batch of 128 (inference). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Tensor evaluate() {
        Tensor logits = net.logits(x);
        backend.synchronize();
        return logits;
    }
}
