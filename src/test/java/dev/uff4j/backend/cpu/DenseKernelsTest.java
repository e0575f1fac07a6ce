package dev.uff4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DenseKernelsTest {

    /** The sigmoid as it was written before it took one exponential and no branch: the bits it must keep. */
    private static float twoBranchSigmoid(float z) {
        return z >= 0f ? 1f / (1f + (float) Math.exp(-z)) : (float) Math.exp(z) / (1f + (float) Math.exp(z));
    }

    @Test
    void sigmoidIsTheBitsOfTheTwoBranchFormula() {
        float[] special = {0f, -0f, 1f, -1f, 88.7f, -88.7f, 104f, -104f, 1e-30f, -1e-30f, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN};
        for (float z : special) {
            assertEquals(Float.floatToRawIntBits(twoBranchSigmoid(z)), Float.floatToRawIntBits(DenseKernels.sigmoid(z)),
                    "sigmoid(" + z + ")");
        }
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 1_000_000; i++) {
            // pre-activations of order 1 and a wide range of magnitudes
            float z = i % 2 == 0 ? (float) (rnd.nextGaussian() * 4) : Float.intBitsToFloat(rnd.nextInt());
            if (Float.isNaN(z)) {
                continue;
            }
            assertEquals(Float.floatToRawIntBits(twoBranchSigmoid(z)), Float.floatToRawIntBits(DenseKernels.sigmoid(z)),
                    "sigmoid(" + z + ")");
        }
    }
}
