package dev.uff4j.flink;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.PipelineJob;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.model.Schedule;
import dev.uff4j.train.PartState;
import dev.uff4j.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The tests' model, data and reference run. */
final class Fixtures {
    static final int SAMPLES = 2000;
    static final int EPOCHS = 2;
    /** Steps per epoch for {@link #SAMPLES} and batches of 64. */
    static final int STEPS = (SAMPLES + 63) / 64;

    private static final Map<ModelSpec, List<PartState>> REFERENCES = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    static Path dataDir() {
        return Path.of(System.getProperty("uff4j.data", "../../data"));
    }

    /** A small DAE: two cells of 64, batches of 64. */
    static ModelSpec spec() {
        return new ModelSpecBuilder(ModelKind.DAE, 784, 10).cells(2).hidden(64).batch(64).seed(3).build();
    }

    static PipelineJob job(ModelSpec spec, Map<String, String> options, List<String> log) {
        return new PipelineJob(spec, DatasetId.MNIST, dataDir(), SAMPLES, EPOCHS, options, line -> {
            System.out.println(line);
            log.add(line);
        });
    }

    /** Every part's state after the pipelined schedule's run in one process, on a CPU backend. */
    static List<PartState> reference(ModelSpec spec) {
        return REFERENCES.computeIfAbsent(spec, s -> {
            Dataset train = Datasets.load(DatasetId.MNIST, dataDir()).train().head(SAMPLES);
            ModelSpec pipelined = s.withOptimization(s.optimization().withSchedule(Schedule.PIPELINED));
            try (Backend backend = BackendFactory.open(BackendOptions.cpu(), line -> { });
                 Model model = Models.create(backend, pipelined); Trainer trainer = new Trainer(backend, model)) {
                trainer.train(train, EPOCHS);
                return List.copyOf(FederatedAveraging.parts(model));
            }
        });
    }

    /** Asserts that two runs' states are the same, bit for bit: parameters, both moments and steps of every group. */
    static void assertBitIdentical(List<PartState> expected, List<PartState> actual) {
        assertEquals(names(expected), names(actual), "parts");
        for (int i = 0; i < expected.size(); i++) {
            PartState e = expected.get(i);
            PartState a = actual.get(i);
            assertEquals(e.groups().keySet(), a.groups().keySet(), e.part() + ": groups");
            for (String g : e.groups().keySet()) {
                ParameterSet.State x = e.groups().get(g);
                ParameterSet.State y = a.groups().get(g);
                assertEquals(x.steps(), y.steps(), g + ": steps");
                assertArrayEquals(bits(x.params()), bits(y.params()), g + ": parameters");
                assertArrayEquals(bits(x.m()), bits(y.m()), g + ": first moments");
                assertArrayEquals(bits(x.v()), bits(y.v()), g + ": second moments");
            }
            assertArrayEquals(e.toBytes(), a.toBytes(), e.part() + ": bytes");
        }
    }

    static List<String> names(List<PartState> parts) {
        List<String> names = new ArrayList<>();
        parts.forEach(p -> names.add(p.part()));
        return names;
    }

    private static int[] bits(float[] v) {
        return Arrays.stream(toBoxed(v)).mapToInt(Float::floatToRawIntBits).toArray();
    }

    private static Float[] toBoxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
