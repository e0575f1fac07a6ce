package dev.uff4j.model;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The per-kind defaults of {@link ModelSpecBuilder} that the reports and checkpoints show. */
class ModelSpecBuilderTest {
    @Test
    void onlyTheModelsWhoseCellsTrainOnAReconstructionAreLifetimeSparseByDefault() {
        Map<ModelKind, Float> expected = Map.of(ModelKind.AE, 0.05f, ModelKind.DAE, 0.05f, ModelKind.CAE, 0.05f,
                ModelKind.GAN, 0f, ModelKind.FF, 0f, ModelKind.BP, 0f, ModelKind.BP_CNN, 0f);
        assertEquals(ModelKind.values().length, expected.size(), "every kind is listed");
        expected.forEach((kind, lifetime) -> {
            ModelSpec spec = new ModelSpecBuilder(kind, 784, 10).build();
            assertEquals(lifetime, spec.cells().lifetime(), kind.toString());
            assertEquals(Float.toString(lifetime), spec.toConfig().get("lifetime_sparsity"), kind + ": the report");
        });
    }
}
