package dev.uff4j.backend.cpu;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The two products that run sparse (a lifetime-sparse decoder's forward and its weight gradient), dense and sparse
 * side by side ({@code -p version=dense,sparse}) over the density of the sparse operand, at batch 128 with a 500-unit
 * latent and 784 outputs: {@code sparseA} is C = A·B (128 x 500 x 784), {@code sparseTransA} is C = Aᵀ·B (500 x 128 x
 * 784). The density at which sparse stops being faster sets {@code CpuBackend.SPARSE_A} and
 * {@code CpuBackend.SPARSE_TRANS_A}. Calls per second; higher is better. In the backend's package, since the kernels
 * are not API.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar SparseGemmBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SparseGemmBenchmark {
    @Param({"dense", "sparse"})
    public String version;

    @Param({"sparseA", "sparseTransA"})
    public String op;

    @Param({"0.05", "0.1", "0.2"})
    public double density;

    @Param({"1", "2"})
    public int threads;

    private WorkerPool pool;
    private Gemm gemm;
    private SparseGemm sparse;
    private float[] a;
    private float[] b;
    private float[] c;
    private static final int M = 128;
    private static final int K = 500;
    private static final int N = 784;

    @Setup
    public void setup() {
        pool = new WorkerPool(threads);
        gemm = Gemms.create("vector", pool);
        sparse = Gemms.sparseFor(gemm, pool);
        SplittableRandom r = new SplittableRandom(1);
        a = new float[M * K];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() < density ? (float) r.nextDouble() : 0f;
        }
        b = new float[Math.max(K, M) * N];
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble();
        }
        c = new float[K * N];
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float multiply() {
        boolean dense = version.equals("dense");
        if (op.equals("sparseA")) {
            if (dense) {
                gemm.multiply(false, false, M, N, K, a, 0, K, b, 0, N, false, c, 0, N);
            } else {
                sparse.sparseA(M, N, K, a, 0, b, 0, c, 0);
            }
        } else if (dense) {
            gemm.multiply(true, false, K, N, M, a, 0, K, b, 0, N, false, c, 0, N);
        } else {
            sparse.sparseTransA(K, N, M, a, 0, b, 0, c, 0);
        }
        return c[0];
    }
}
