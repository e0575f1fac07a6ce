package dev.uff4j.presets;

import dev.uff4j.data.DatasetId;
import dev.uff4j.model.CellDef;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The per-dataset defaults: on MNIST the convolutional models shift their images, keep the linear head on every cell's
 * maps and cae is sparser, and the dense models but gan shift their images; on Fashion-MNIST dae decays its weights
 * more and gan's discriminator is wider.
 */
class DatasetPresetsTest {
    @Test
    void onMnistTheConvolutionalModelsShiftTheirImagesKeepTheLinearHeadAndCaeIsSparser() {
        ModelSpec cae = DatasetPresets.builder(ModelKind.CAE, DatasetId.MNIST).build();
        ModelSpec bpCnn = DatasetPresets.builder(ModelKind.BP_CNN, DatasetId.MNIST).build();
        assertEquals(1, cae.augmentation().shift(), "cae on MNIST: images shifted by up to 1 pixel");
        assertEquals(1, bpCnn.augmentation().shift(), "bp-cnn gets the same augmentation as cae");
        assertEquals(0.02f, cae.cells().lifetime(), "cae cells on MNIST keep 2% per unit");
        assertEquals(0f, bpCnn.cells().lifetime());
        assertEquals(784, cae.inputSize());
        for (ModelSpec conv : List.of(cae, bpCnn)) {
            assertEquals(0, conv.head().hidden(), conv.kind() + ": a linear head");
            assertEquals(HeadInput.ALL, conv.head().input(), conv.kind() + ": the head reads every cell's maps");
        }
        assertEquals("cae:32,cae:64", CellDef.format(cae.cells().list()));
        assertEquals(List.of("--shift 1", "--lifetime-sparsity 0.02"),
                DatasetPresets.of(ModelKind.CAE, DatasetId.MNIST).stream().map(DatasetPresets.Preset::option).toList());
    }

    @Test
    void elsewhereTheModelsDefaultsStand() {
        for (DatasetId other : List.of(DatasetId.FASHION_MNIST, DatasetId.CIFAR10)) {
            ModelSpec c = DatasetPresets.builder(ModelKind.CAE, other).build();
            assertEquals(0, c.augmentation().shift(), other + ": not shifted");
            assertEquals(0, c.head().hidden(), other + ": a linear head");
            assertEquals(HeadInput.ALL, c.head().input(), other + ": on every cell's maps");
            assertEquals(ModelSpecBuilder.LIFETIME, c.cells().lifetime(), other + ": the cells' default sparsity");
            assertEquals(other.channels(), c.channels());
            assertEquals(other.inputSize(), c.inputSize());
            assertEquals(List.of(), DatasetPresets.of(ModelKind.CAE, other));
        }
        for (ModelKind dense : List.of(ModelKind.AE, ModelKind.DAE, ModelKind.GAN, ModelKind.BP, ModelKind.FF)) {
            for (DatasetId other : List.of(DatasetId.FASHION_MNIST, DatasetId.CIFAR10)) {
                if ((dense == ModelKind.DAE || dense == ModelKind.GAN) && other == DatasetId.FASHION_MNIST) {
                    continue; // dae's weight decay and gan's width: tests below
                }
                ModelSpec d = DatasetPresets.builder(dense, other).build();
                assertEquals(new ModelSpecBuilder(dense, other.inputSize(), other.classes()).channels(other.channels())
                        .build(), d, dense + " on " + other + ": no preset");
            }
        }
        assertEquals(new ModelSpecBuilder(ModelKind.GAN, 784, 10).build(),
                DatasetPresets.builder(ModelKind.GAN, DatasetId.MNIST).build(), "gan was not measured with the shift");
    }

    @Test
    void onMnistTheDenseModelsShiftTheirImagesAndNothingElse() {
        for (ModelKind dense : List.of(ModelKind.AE, ModelKind.DAE, ModelKind.BP, ModelKind.FF)) {
            ModelSpec d = DatasetPresets.builder(dense, DatasetId.MNIST).build();
            assertEquals(new ModelSpecBuilder(dense, 784, 10).shift(1).build(), d, dense.toString());
            assertEquals(List.of("--shift 1"),
                    DatasetPresets.of(dense, DatasetId.MNIST).stream().map(DatasetPresets.Preset::option).toList());
        }
    }

    @Test
    void daeOnFashionMnistDecaysItsWeightsTenTimesMoreAndNothingElse() {
        ModelSpec d = DatasetPresets.builder(ModelKind.DAE, DatasetId.FASHION_MNIST).build();
        assertEquals(0.1, d.optimization().optimizer().weightDecay());
        assertEquals(ModelSpecBuilder.OPTIMIZER.withWeightDecay(0.1), d.optimization().optimizer(),
                "only the decay differs from the default optimizer");
        assertEquals(new ModelSpecBuilder(ModelKind.DAE, 784, 10).weightDecay(0.1).build(), d);
        assertEquals(List.of("--weight-decay 0.1"),
                DatasetPresets.of(ModelKind.DAE, DatasetId.FASHION_MNIST).stream().map(DatasetPresets.Preset::option)
                        .toList());
        assertEquals(ModelSpecBuilder.OPTIMIZER, DatasetPresets.builder(ModelKind.DAE, DatasetId.MNIST).build()
                .optimization().optimizer(), "MNIST keeps the default decay");
    }

    @Test
    void ganOnFashionMnistHasAFourTimesWiderDiscriminatorAndNothingElse() {
        ModelSpec g = DatasetPresets.builder(ModelKind.GAN, DatasetId.FASHION_MNIST).build();
        assertEquals(8000, g.cells().hidden());
        assertEquals(4 * ModelSpecBuilder.GAN_HIDDEN, g.cells().hidden());
        assertEquals(new ModelSpecBuilder(ModelKind.GAN, 784, 10).hidden(8000).build(), g);
        assertEquals(List.of("--hidden 8000"),
                DatasetPresets.of(ModelKind.GAN, DatasetId.FASHION_MNIST).stream().map(DatasetPresets.Preset::option)
                        .toList());
        assertEquals(ModelSpecBuilder.GAN_HIDDEN, DatasetPresets.builder(ModelKind.GAN, DatasetId.MNIST).build()
                .cells().hidden(), "MNIST keeps 2000");
    }

    @Test
    void aSettingMadeAfterThePresetsWins() {
        assertEquals(2000, DatasetPresets.builder(ModelKind.GAN, DatasetId.FASHION_MNIST).hidden(2000).build().cells()
                .hidden());
        assertEquals(0.01, DatasetPresets.builder(ModelKind.DAE, DatasetId.FASHION_MNIST).weightDecay(0.01).build()
                .optimization().optimizer().weightDecay());
        assertEquals(0.1, DatasetPresets.builder(ModelKind.DAE, DatasetId.FASHION_MNIST).lr(1e-3).build()
                .optimization().optimizer().weightDecay(), "a learning rate set afterwards keeps the preset's decay");
        assertEquals(0, DatasetPresets.builder(ModelKind.CAE, DatasetId.MNIST).shift(0).build().augmentation().shift());
        assertEquals(0.1f, DatasetPresets.builder(ModelKind.CAE, DatasetId.MNIST).lifetime(0.1f).build().cells()
                .lifetime());
    }
}
