package dev.uff4j.train;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run whose loss becomes NaN or infinite stops within a few dozen steps, naming the part that diverged. */
class DivergenceTest {
    /** 500 random 8x8 images of 3 classes: 4 steps of 128 per epoch. */
    private static Dataset data(int n) {
        SplittableRandom r = new SplittableRandom(3);
        float[] pixels = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
        }
        return Dataset.images("random", n, 1, 8, 8, pixels, labels, 3);
    }

    private static TrainingDivergedException diverge(ModelKind kind, double lr) {
        try (Backend b = new CpuBackend(2)) {
            Model model = Models.create(b, new ModelSpecBuilder(kind, 64, 3).hidden(16)
                    .optimizer(AdamW.DEFAULT.withLr(lr)).build());
            return assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(b, model).train(data(6000), data(100), 3, Progress.NONE));
        }
    }

    @Test
    void aDivergingCellIsNamedWithItsEpochAndStep() {
        TrainingDivergedException e = diverge(ModelKind.AE, 1e30);
        assertEquals("cell1", e.part());
        assertEquals(1, e.epoch());
        assertTrue(e.step() <= Trainer.FINITE_CHECK_STEPS, "found within " + Trainer.FINITE_CHECK_STEPS
                + " steps: step " + e.step());
        assertTrue(e.getMessage().startsWith("training diverged: cell1's loss became NaN or infinite in epoch 1, "
                + "by step " + e.step() + " of 47; lower the learning rate (--lr, now 1.0E30)"), e.getMessage());
    }

    @Test
    void theBaselinesNameTheirParts() {
        assertEquals("head", diverge(ModelKind.BP, 1e30).part());
        assertEquals("layer1", diverge(ModelKind.FF, 1e30).part());
    }

    @Test
    void aHealthyRunHasNoNonFiniteLoss() {
        try (Backend b = new CpuBackend(2)) {
            Model model = Models.create(b, new ModelSpecBuilder(ModelKind.AE, 64, 3).hidden(16).build());
            TrainResult result = new Trainer(b, model).train(data(500), data(100), 2, Progress.NONE);
            assertEquals(2, result.epochsDetail().size());
            assertNull(model.nonFiniteLoss(), "after takeMetrics nothing is accumulated");
        }
    }
}
