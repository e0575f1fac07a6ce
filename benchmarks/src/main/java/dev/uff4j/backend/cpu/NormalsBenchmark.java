package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Box-Muller draws of the noise kernels, one image row of 784 pixels (392 pairs) per call, in three versions
 * ({@code -p version=double,float,vector}): {@code double} is the transform the CPU backend used before (Math.log,
 * Math.cos and Math.sin in double, still {@code NoiseKernels.radius} and {@code angle}), {@code float} is
 * {@link FloatNormals} (float polynomials) and {@code vector} its Vector API twin {@code VectorNormals}, the CPU
 * backend's default, the same bits as {@code float}. Nanoseconds per pair; lower is better.
 *
 * <p>Run: {@code java -jar target/benchmarks.jar NormalsBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NormalsBenchmark {
    private static final int PAIRS = 392;

    @Param({"double", "float", "vector"})
    public String version;

    private NoiseKernels.Normals normals;
    private final long key = Noise.streamKey(1, 2);
    private long first;
    private final float[] n0 = new float[PAIRS + 64];
    private final float[] n1 = new float[PAIRS + 64];
    private final float[] s0 = new float[PAIRS + 64];
    private final float[] s1 = new float[PAIRS + 64];

    @Setup
    public void setup() {
        normals = switch (version) {
            case "double" -> new DoubleNormals();
            case "float" -> new FloatNormals();
            case "vector" -> NoiseKernels.normals();
            default -> throw new IllegalArgumentException("version: double, float or vector, got " + version);
        };
    }

    @Benchmark
    @OperationsPerInvocation(PAIRS)
    public float row() {
        int g = normals.group();
        int pairs = (PAIRS + g - 1) / g * g;
        normals.fill(key, first, pairs, n0, n1, s0, s1);
        first += pairs;
        return n0[7] + n1[PAIRS - 1];
    }

    /** The double-precision transform the CPU backend drew with before FloatNormals. */
    static final class DoubleNormals implements NoiseKernels.Normals {
        @Override
        public int group() {
            return 1;
        }

        @Override
        public void fill(long key, long firstPair, int pairs, float[] n0, float[] n1, float[] s0, float[] s1) {
            for (int t = 0; t < pairs; t++) {
                long r1 = NoiseKernels.pairBits(key, firstPair + t);
                double radius = NoiseKernels.radius(r1);
                double angle = NoiseKernels.angle(r1);
                n0[t] = (float) (radius * Math.cos(angle));
                n1[t] = (float) (radius * Math.sin(angle));
            }
        }
    }
}
