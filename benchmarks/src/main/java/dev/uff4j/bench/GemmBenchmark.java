package dev.uff4j.bench;

import dev.uff4j.backend.cpu.Gemm;
import dev.uff4j.backend.cpu.Gemms;
import dev.uff4j.backend.cpu.WorkerPool;
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
 * The CPU backend's GEMM kernels on the matrix products of one UFF dense layer at batch 128 (784 -> 500):
 * <ul>
 *   <li>{@code fwd_128x784x500}: forward, C = A B with M x K x N = 128 x 784 x 500;</li>
 *   <li>{@code fwd_128x500x784}: forward of the decoder (500 -> 784), 128 x 500 x 784;</li>
 *   <li>{@code wgrad_AtB_784x128x500}: weight gradient dW = Xᵀ dY, 784 x 128 x 500 with A transposed;</li>
 *   <li>{@code igrad_ABt_128x500x784}: input gradient dX = dY Wᵀ, 128 x 500 x 784 with B transposed.</li>
 * </ul>
 *
 * <p>The score is GFLOP/s directly: all four shapes do the same 2·128·500·784 = 100,352,000 FLOP, so
 * {@code @OperationsPerInvocation(100_352)} counts one operation per kFLOP and, with the output unit set to
 * microseconds, "ops/us" reads as kFLOP/µs = GFLOP/s. {@link #setup} checks the FLOP count so a new shape of
 * another size cannot silently mislabel the score. Higher is better.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar GemmBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}. The fork gets
 * {@code --add-modules jdk.incubator.vector} so that the {@code vector} kernel can load; {@code threads} is the size
 * of the kernel's {@link WorkerPool}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {

    /** 2 * m * n * k of every shape below, in kFLOP (the JMH "operations" of one call). */
    static final int KFLOP_PER_CALL = 100_352;

    @Param({"blocked", "vector"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    @Param({"fwd_128x784x500", "fwd_128x500x784", "wgrad_AtB_784x128x500", "igrad_ABt_128x500x784"})
    public String shape;

    private WorkerPool pool;
    private Gemm gemm;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int k;
    private int lda;
    private int ldb;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup(Level.Trial)
    public void setup() {
        String[] parts = shape.split("_");
        String[] dims = parts[parts.length - 1].split("x");
        m = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        n = Integer.parseInt(dims[2]);
        transA = shape.contains("_AtB_");
        transB = shape.contains("_ABt_");
        if (2L * m * n * k != KFLOP_PER_CALL * 1000L) {
            throw new IllegalStateException(shape + " does " + 2L * m * n * k + " FLOP per call, but the score "
                    + "assumes " + KFLOP_PER_CALL + " kFLOP: give it its own benchmark method");
        }
        lda = transA ? m : k;
        ldb = transB ? k : n;
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(rnd, m * k);
        b = random(rnd, k * n);
        c = new float[m * n];
        pool = new WorkerPool(threads);
        gemm = Gemms.create(kernel, pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    @OperationsPerInvocation(KFLOP_PER_CALL)
    public float multiply() {
        gemm.multiply(transA, transB, m, n, k, a, 0, lda, b, 0, ldb, false, c, 0, n);
        return c[c.length - 1];
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
