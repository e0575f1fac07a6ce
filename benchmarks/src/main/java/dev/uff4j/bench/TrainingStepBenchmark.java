package dev.uff4j.bench;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Tensor;
import dev.uff4j.model.CellDef;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.data.DatasetId;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
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
 * One full training step, and inference, of a model with the library's defaults for MNIST ({@link DatasetPresets}:
 * for the dense models one cell or layer of 1000, batch 128) for MNIST-sized input (784 -> 10) on each backend the
 * {@code backend} parameter names ({@code cpu} by default; {@code -p backend=cpu,cuda} adds the GPU, see
 * {@link BenchBackends}), on one fixed batch already on the backend: x uniform in [0, 1], labels uniform in 0..9, both
 * from seed 42.
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
 * <p><b>Every call ends with {@link Backend#synchronize()}</b>: the CUDA backend only queues work, so without the
 * wait the score would be the rate at which the host launches kernels. On the GPU each step's time therefore
 * includes one host-device round trip (a stream synchronize and the backend's device error check, of the order of
 * 10-30 µs; {@code OpsBenchmark.synchronizeOnly} measures it), which training itself pays only once per reporting
 * interval: a real epoch runs slightly faster than 128 / time-per-step. The batch upload is not part of the step
 * ({@code OpsBenchmark.uploadRows} measures it).
 *
 * <p>{@code model}: {@code dae} (the default UFF model: one denoising autoencoder cell), {@code ae} (a plain
 * autoencoder cell), {@code bp} (the same encoder and head trained end to end by back-propagation), {@code cae} (UFF
 * with the two convolutional autoencoder cells cae:32,cae:64, the best model) or {@code bp-cnn} (their encoders and
 * the head trained end to end). Each has its defaults for MNIST ({@code DatasetPresets}), as {@code bin/uff4j train}
 * would train it.
 * {@code backend}: {@code cpu}, {@code cuda}, {@code cuda-kernel} or {@code cuda-tf32}; a {@code cuda*} value
 * without a usable GPU fails in {@code @Setup} with the probe's reason and JMH goes on. {@code threads} is the CPU
 * backend's worker count; the GPU backends ignore it (give one value on a GPU machine, {@code -p threads=N}, or
 * every CUDA case runs once per value). Each trial builds a fresh model from the default seed.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar TrainingStepBenchmark} (the annotations give 1 fork, 3 x 2 s
 * warm-up, 5 x 2 s measurement); add {@code -p backend=cpu,cuda -p threads=N} on a GPU machine.
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

    @Param({"dae", "ae", "bp", "cae", "bp-cnn"})
    public String model;

    @Param({"cpu"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    /**
     * {@code default} (the dataset preset's layers), {@code CxH}, e.g. {@code 3x500}: C cells (bp: C hidden layers)
     * of H units, the shape of the CPU comparison against PyTorch (docs/performance.md), or a cell list with {@code +}
     * for its commas (JMH splits a {@code -p} value at commas), e.g. {@code cae:48+cae:96}.
     */
    @Param({"default"})
    public String layers;

    private Backend be;
    private Model net;
    private Tensor x;
    private Tensor labels;

    @Setup(Level.Trial)
    public void setup() {
        be = BenchBackends.open(backend, threads);
        ModelSpecBuilder spec = DatasetPresets.builder(ModelKind.parse(model), DatasetId.MNIST);
        if (layers.contains(":")) {
            spec.cellList(CellDef.parseList(layers.replace('+', ',')));
        } else if (!layers.equals("default")) {
            String[] ch = layers.split("x");
            if (ch.length != 2) {
                throw new IllegalArgumentException("layers: expected 'default', CxH (e.g. 3x500) or a cell list "
                        + "(e.g. cae:48+cae:96), got " + layers);
            }
            spec.cells(Integer.parseInt(ch[0])).hidden(Integer.parseInt(ch[1]));
        }
        net = Models.create(be, spec.build());
        SplittableRandom rnd = new SplittableRandom(42);
        float[] pixels = new float[BATCH * INPUT];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rnd.nextDouble();
        }
        float[] y = new float[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = rnd.nextInt(CLASSES);
        }
        x = be.zeros(BATCH, INPUT);
        labels = be.zeros(BATCH, 1);
        be.upload(pixels, 0, x);
        be.upload(y, 0, labels);
        be.synchronize();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    /** Samples/s: one training step on the batch of 128. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Model trainStep() {
        net.trainBatch(0, x, labels);
        be.synchronize();
        return net;
    }

    /** Samples/s: class scores for the batch of 128 (inference). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Tensor evaluate() {
        Tensor logits = net.logits(x);
        be.synchronize();
        return logits;
    }
}
