package dev.uff4j.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double NAN = Double.NaN;

    @Test
    void everyHyperParameterOutOfItsRangeIsRefusedWithItsName() {
        double[][] bad = {
            {0, 0.9, 0.999, 1e-8, 0}, {-1e-3, 0.9, 0.999, 1e-8, 0}, {INF, 0.9, 0.999, 1e-8, 0},
            {NAN, 0.9, 0.999, 1e-8, 0},
            {1e-3, 1, 0.999, 1e-8, 0}, {1e-3, -0.1, 0.999, 1e-8, 0}, {1e-3, 0.9, 1, 1e-8, 0},
            {1e-3, 0.9, NAN, 1e-8, 0},
            {1e-3, 0.9, 0.999, 0, 0}, {1e-3, 0.9, 0.999, INF, 0}, {1e-3, 0.9, 0.999, NAN, 0},
            {1e-3, 0.9, 0.999, 1e-8, -1e-2}, {1e-3, 0.9, 0.999, 1e-8, INF}, {1e-3, 0.9, 0.999, 1e-8, NAN},
        };
        String[] named = {"learning rate", "learning rate", "learning rate", "learning rate", "betas", "betas", "betas",
            "betas", "eps", "eps", "eps", "weight decay", "weight decay", "weight decay"};
        for (int i = 0; i < bad.length; i++) {
            double[] v = bad[i];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new AdamW(v[0], v[1], v[2], v[3], v[4]), java.util.Arrays.toString(v));
            assertTrue(e.getMessage().contains(named[i]), e.getMessage());
        }
    }

    @Test
    void theEdgesOfTheRangesAreAccepted() {
        AdamW a = new AdamW(1e-3, 0, 0, Double.MIN_VALUE, 0);
        assertEquals(0, a.beta1());
        assertEquals(2e-3, AdamW.DEFAULT.withLr(2e-3).lr());
        assertEquals(AdamW.DEFAULT.weightDecay(), AdamW.DEFAULT.withLr(2e-3).weightDecay());
        assertEquals(new AdamW(AdamW.DEFAULT.lr(), 0.9, 0.999, 1e-8, 0.1), AdamW.DEFAULT.withWeightDecay(0.1),
                "only the decay changes");
        assertEquals(0, AdamW.DEFAULT.withWeightDecay(0).weightDecay());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdamW.DEFAULT.withWeightDecay(-0.1));
        assertTrue(e.getMessage().contains("weight decay"), e.getMessage());
    }
}
