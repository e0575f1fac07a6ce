package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Training is a function of the seed: the same seed gives bit-identical parameters, for any thread count (the CPU
 * kernels never split a reduction across threads), and another seed gives other parameters.
 */
class DeterminismTest {
    private static final int INPUT = 150;
    private static final int BATCH = 64;

    private static List<float[]> train(int threads, long seed, ModelKind kind) {
        ModelSpec spec = TestSpecs.spec(kind, INPUT, 10, 2, 300, new Epilogue(Activation.RELU, 40, true),
                kind == ModelKind.DAE ? new Noise(0.2f, 0.1f) : Noise.NONE, 0f, 32, HeadInput.ALL, BATCH, seed);
        try (Backend b = new CpuBackend(threads)) {
            Model model = Models.create(b, spec);
            SplittableRandom r = new SplittableRandom(1);
            for (int s = 0; s < 6; s++) {
                Tensor x = upload(b, uniform(r, BATCH * INPUT, 0, 1), BATCH, INPUT);
                float[] y = new float[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    y[i] = r.nextInt(10);
                }
                model.trainBatch(0, x, upload(b, y, BATCH, 1));
            }
            List<float[]> out = new ArrayList<>();
            model.parameterGroups().values().forEach(p -> out.add(p.readAll()));
            return out;
        }
    }

    private static void assertSame(List<float[]> a, List<float[]> b, String what) {
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), what + ", parameter group " + i);
        }
    }

    @Test
    void sameSeedGivesBitIdenticalParametersForAnyThreadCount() {
        for (ModelKind kind : TestKinds.DENSE) {
            List<float[]> one = train(1, 5, kind);
            assertSame(one, train(1, 5, kind), kind + " twice with 1 thread");
            assertSame(one, train(2, 5, kind), kind + " with 1 and 2 threads");
            assertSame(one, train(3, 5, kind), kind + " with 1 and 3 threads");
            assertFalse(Arrays.equals(one.get(0), train(1, 6, kind).get(0)), kind + ": another seed differs");
        }
    }
}
