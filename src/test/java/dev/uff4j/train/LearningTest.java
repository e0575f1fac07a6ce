package dev.uff4j.train;

import dev.uff4j.model.FrozenFeatureClassifier;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.testing.RealData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning on real MNIST (and Fashion-MNIST), small enough for CI: every cell's local loss and the head's loss fall, and the default
 * models reach stated accuracies on the full 10000-sample test set after a short run on a subset.
 */
class LearningTest {

    private static TrainResult train(ModelSpec spec, int samples, int epochs) {
        DataSplit mnist = RealData.load(DatasetId.MNIST);
        try (Backend b = new CpuBackend(2)) {
            return new Trainer(b, Models.create(b, spec)).train(mnist.train().head(samples), mnist.test(), epochs,
                    Progress.NONE);
        }
    }

    @Test
    void everyCellsLossAndTheHeadLossFallOnRealData() {
        for (ModelKind kind : List.of(ModelKind.AE, ModelKind.DAE)) {
            ModelSpec spec = new ModelSpecBuilder(kind, 784, 10).cells(2).hidden(256).lifetime(0.2f)
                    .lrSchedule(LrSchedule.CONSTANT).build();
            List<EpochStats> epochs = train(spec, 3000, 3).epochsDetail();
            EpochStats first = epochs.get(0);
            EpochStats last = epochs.get(2);
            assertEquals(List.of("cell1", "cell2", "head"), first.lossNames());
            for (int i = 0; i < 3; i++) {
                System.out.printf("%s %s loss: epoch 1 %.4f, epoch 3 %.4f%n", kind, first.lossNames().get(i),
                        first.losses()[i], last.losses()[i]);
                assertTrue(last.losses()[i] < 0.8 * first.losses()[i], kind + " " + first.lossNames().get(i)
                        + " loss: epoch 1 " + first.losses()[i] + ", epoch 3 " + last.losses()[i]);
            }
        }
    }

    /** The model of {@code spec} and the same head on the raw pixels, each trained on the dataset's first samples. */
    private static TrainResult[] uffAndRawHead(DatasetId dataset, ModelSpec spec, int samples, int epochs) {
        DataSplit data = RealData.load(dataset);
        try (Backend b = new CpuBackend(2)) {
            TrainResult uff = new Trainer(b, Models.create(b, spec)).train(data.train().head(samples), data.test(),
                    epochs, Progress.NONE);
            TrainResult raw = new Trainer(b, FrozenFeatureClassifier.onRawInput(b, spec)).train(
                    data.train().head(samples), data.test(), epochs, Progress.NONE);
            System.out.printf("default %s on %s, %d epochs on %d: %.4f; same head on raw pixels: %.4f%n",
                    spec.kind(), dataset, epochs, samples, uff.testAccuracy(), raw.testAccuracy());
            return new TrainResult[] {uff, raw};
        }
    }

    /**
     * The default UFF model for MNIST (with its one-pixel shift) on all 60000 training samples for 2 epochs (about
     * 8 s on 2 cores): measured 93.77% on the test set, while the same linear head trained on the raw pixels with the
     * same budget and shift reached 91.52% (without the shift: 94.28% and 91.81%; in 2 epochs the shift costs, in 10
     * it gains). Bounds: 93% absolute, and at least one point above the raw-pixel head of this run.
     */
    @Test
    void defaultUffModelBeatsItsHeadOnRawPixels() {
        ModelSpec spec = DatasetPresets.builder(ModelKind.DAE, DatasetId.MNIST).build();
        assertEquals(1, spec.augmentation().shift(), "MNIST's default shifts the training images of cells and head");
        TrainResult[] r = uffAndRawHead(DatasetId.MNIST, spec, 60000, 2);
        assertTrue(r[0].testAccuracy() >= 0.93, "UFF test accuracy " + r[0].testAccuracy());
        assertTrue(r[0].testAccuracy() >= r[1].testAccuracy() + 0.01,
                "UFF " + r[0].testAccuracy() + " vs raw-pixel head " + r[1].testAccuracy());
    }

    /**
     * The default UFF model for Fashion-MNIST (its weight decay of 0.1, no shift) on all 60000 training samples for 2
     * epochs (about 8 s on 2 cores): measured 85.10% on the test set, against 83.22% for the same linear head on the
     * raw pixels. Bounds: 84% absolute, and one point above the raw-pixel head of this run (the margin grows with
     * training: 4.0 points after the default 10 epochs, where issue 16 asks 3).
     */
    @Test
    void defaultUffModelOnFashionMnistBeatsItsHeadOnRawPixels() {
        ModelSpec spec = DatasetPresets.builder(ModelKind.DAE, DatasetId.FASHION_MNIST).build();
        assertEquals(0.1, spec.optimization().optimizer().weightDecay(), "Fashion-MNIST's dae decay");
        TrainResult[] r = uffAndRawHead(DatasetId.FASHION_MNIST, spec, 60000, 2);
        assertTrue(r[0].testAccuracy() >= 0.84, "UFF test accuracy " + r[0].testAccuracy());
        assertTrue(r[0].testAccuracy() >= r[1].testAccuracy() + 0.01,
                "UFF " + r[0].testAccuracy() + " vs raw-pixel head " + r[1].testAccuracy());
    }

    /**
     * The default cae model for MNIST (cae:32,cae:64, 2% lifetime, the one-pixel shift, a linear head on both cells'
     * maps) on the first 6000 training samples for 1 epoch (about 10 s on 2 cores): measured 87.88% on the test set,
     * against 82.46% for the same linear head on the raw pixels with the same budget and shift. Bounds: 86%
     * absolute, and at least 3 points above the raw-pixel head of this run (issue 16 asks 0.5 of a default after
     * full training; the 15-epoch margin is 6.8 points).
     */
    @Test
    void defaultCaeModelBeatsItsHeadOnRawPixels() {
        ModelSpec spec = DatasetPresets.builder(ModelKind.CAE, DatasetId.MNIST).build();
        assertEquals(0, spec.head().hidden(), "MNIST's cae default reads its cells with a linear head");
        TrainResult[] r = uffAndRawHead(DatasetId.MNIST, spec, 6000, 1);
        assertTrue(r[0].testAccuracy() >= 0.86, "cae test accuracy " + r[0].testAccuracy());
        assertTrue(r[0].testAccuracy() >= r[1].testAccuracy() + 0.03,
                "cae " + r[0].testAccuracy() + " vs raw-pixel head " + r[1].testAccuracy());
    }

    /**
     * Forward-Forward (2 x 500, 20000 samples, 2 epochs, about 8 s on 2 cores): both layers separate positive from
     * hard negative data (each loss below log 2, the loss of a layer that cannot tell them apart), and prediction by
     * goodness beats chance by far. Measured 89.37% (losses 0.326, 0.300, 0.590, 0.532); bound 80%.
     */
    @Test
    void forwardForwardLearnsToTellPositiveFromNegativeData() {
        ModelSpec spec = new ModelSpecBuilder(ModelKind.FF, 784, 10).cells(2).hidden(500).build();
        TrainResult r = train(spec, 20000, 2);
        EpochStats last = r.epochsDetail().get(1);
        System.out.println("FF, 2 x 500, 2 epochs on 20000: " + r.testAccuracy() + ", losses "
                + java.util.Arrays.toString(last.losses()));
        assertEquals(List.of("layer1+", "layer1-", "layer2+", "layer2-"), last.lossNames());
        for (int i = 0; i < 4; i++) {
            assertTrue(last.losses()[i] < Math.log(2), last.lossNames().get(i) + " loss " + last.losses()[i]);
        }
        assertTrue(r.testAccuracy() >= 0.80, "test accuracy " + r.testAccuracy());
    }

    /**
     * A GAN cell (the default 2000-unit discriminator, linear head on its features), 20000 samples, 2 epochs (about
     * 10 s on 2 cores): both losses stay finite and the features beat the same head on raw pixels with the same
     * budget. Measured 92.57% against 90.16%; bound: one point above the raw-pixel head of this run.
     */
    @Test
    void ganFeaturesBeatRawPixelsAndItsLossesStayFinite() {
        DataSplit mnist = RealData.load(DatasetId.MNIST);
        ModelSpec spec = new ModelSpecBuilder(ModelKind.GAN, 784, 10).build();
        try (Backend b = new CpuBackend(2)) {
            TrainResult gan = new Trainer(b, Models.create(b, spec)).train(mnist.train().head(20000), mnist.test(), 2,
                    Progress.NONE);
            TrainResult raw = new Trainer(b, FrozenFeatureClassifier.onRawInput(b, spec)).train(
                    mnist.train().head(20000), mnist.test(), 2, Progress.NONE);
            EpochStats last = gan.epochsDetail().get(1);
            System.out.printf("GAN cell, 2 epochs on 20000: %.4f (losses %s); same head on raw pixels: %.4f%n",
                    gan.testAccuracy(), java.util.Arrays.toString(last.losses()), raw.testAccuracy());
            assertEquals(List.of("cell1-d", "cell1-g", "head"), last.lossNames());
            for (double loss : last.losses()) {
                assertTrue(Double.isFinite(loss) && loss > 0, "losses " + java.util.Arrays.toString(last.losses()));
            }
            assertTrue(gan.testAccuracy() >= raw.testAccuracy() + 0.01,
                    "GAN " + gan.testAccuracy() + " vs raw-pixel head " + raw.testAccuracy());
        }
    }

    /** BP on the same layers, all samples, 2 epochs: measured 98.19%; bound 96.5%. */
    @Test
    void backPropagationBaselineReachesItsBound() {
        ModelSpec spec = new ModelSpecBuilder(ModelKind.BP, 784, 10).build();
        TrainResult r = train(spec, 60000, 2);
        System.out.println("BP, 2 epochs: " + r.testAccuracy());
        assertTrue(r.testAccuracy() >= 0.965, "test accuracy " + r.testAccuracy());
    }
}
