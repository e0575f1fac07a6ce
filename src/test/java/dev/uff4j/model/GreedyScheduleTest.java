package dev.uff4j.model;

import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Backend;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Greedy training: stage i moves only cell i (then the head), everything else stays bit-identical. */
class GreedyScheduleTest {

    private static List<float[]> snapshot(Model m) {
        List<float[]> out = new ArrayList<>();
        m.parameterGroups().values().forEach(p -> out.add(p.readAll()));
        return out;
    }

    @Test
    void eachStageTrainsExactlyItsOwnPart() {
        ModelSpec spec = TestSpecs.builder(ModelKind.DAE, 24, 3).cells(2).hidden(10).noise(new Noise(0.1f, 0.1f))
                .lifetime(0.25f).schedule(Schedule.GREEDY).batch(8).seed(4).build();
        try (Backend b = new CpuBackend(2)) {
            UffModel model = new UffModel(new BackendScope(b), spec);
            assertEquals(3, model.stages());
            assertEquals(List.of("cell1", "cell2", "head"),
                    List.of(model.stageName(0), model.stageName(1), model.stageName(2)));
            SplittableRandom r = new SplittableRandom(2);
            Tensor x = upload(b, uniform(r, 8 * 24, 0, 1), 8, 24);
            Tensor y = upload(b, new float[] {0, 1, 2, 0, 1, 2, 0, 1}, 8, 1);
            for (int stage = 0; stage < 3; stage++) {
                List<float[]> before = snapshot(model);
                for (int s = 0; s < 5; s++) {
                    model.trainBatch(stage, x, y);
                }
                List<float[]> after = snapshot(model);
                for (int part = 0; part < 3; part++) {
                    if (part == stage) {
                        assertFalse(Arrays.equals(before.get(part), after.get(part)),
                                "stage " + stage + " trains part " + part);
                    } else {
                        assertArrayEquals(before.get(part), after.get(part),
                                "stage " + stage + " leaves part " + part + " alone");
                    }
                }
                Model.TrainMetrics metrics = model.takeMetrics();
                for (int part = 0; part < 3; part++) {
                    assertEquals(part == stage, !Double.isNaN(metrics.losses()[part]),
                            "stage " + stage + " reports a loss for part " + part + " only if it trained");
                }
            }
        }
    }
}
