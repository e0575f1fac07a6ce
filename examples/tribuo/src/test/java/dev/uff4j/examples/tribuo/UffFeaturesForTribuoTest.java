package dev.uff4j.examples.tribuo;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example on all 60000 images for 2 epochs (about 45 s on 2 cores; fewer steps leave the cells too little
 * trained to beat the pixels): Tribuo learns better from the UFF features than from the raw pixels.
 */
class UffFeaturesForTribuoTest {
    @Test
    void uffFeaturesBeatRawPixelsForTheSameTribuoTrainer() {
        Path data = Path.of(System.getProperty("uff4j.data", "../../data"));
        UffFeaturesForTribuo.Result r = UffFeaturesForTribuo.run(data, 60_000, 2);
        assertEquals(60_000, r.trainImages());
        assertEquals(10_000, r.testImages());
        assertEquals(1000, r.featureSize(), "the default DAE cell's 1000 latent units");
        assertTrue(r.uffFeatures() > 0.95, "UFF features: " + r.uffFeatures());
        assertTrue(r.uffFeatures() > r.rawPixels() + 0.02, "UFF " + r.uffFeatures() + " vs raw " + r.rawPixels());
    }
}
