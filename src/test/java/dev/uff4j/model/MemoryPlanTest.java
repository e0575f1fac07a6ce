package dev.uff4j.model;

import dev.uff4j.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The memory plan counts exactly what a model allocates, and stops an absurd model at once with its size. */
class MemoryPlanTest {
    private static List<ModelSpec> specs() {
        return List.of(
                new ModelSpecBuilder(ModelKind.AE, 784, 10).hidden(64).build(),
                new ModelSpecBuilder(ModelKind.DAE, 784, 10).cells(2).hidden(48).batch(32).build(),
                new ModelSpecBuilder(ModelKind.GAN, 784, 10).hidden(40).build(),
                new ModelSpecBuilder(ModelKind.CAE, 784, 10).cellList(CellDef.parseList("cae:4,cae:6,ae:20"))
                        .headHidden(16).build(),
                new ModelSpecBuilder(ModelKind.BP, 784, 10).cells(2).hidden(32).build(),
                new ModelSpecBuilder(ModelKind.BP_CNN, 784, 10).cellList(CellDef.parseList("cae:4,cae:6")).build(),
                new ModelSpecBuilder(ModelKind.FF, 784, 10).cells(2).hidden(50).build());
    }

    @Test
    void thePlanIsWhatTheCpuBackendAllocatesForEveryKind() {
        for (ModelSpec spec : specs()) {
            try (CpuBackend b = new CpuBackend(1)) {
                Models.create(b, spec);
                assertEquals(b.allocatedBytes(), MemoryPlan.bytes(spec), spec.kind().id());
            }
        }
    }

    @Test
    void aModelThatFitsPassesAndOneThatDoesNotIsStoppedWithItsSize() {
        ModelSpec spec = new ModelSpecBuilder(ModelKind.AE, 784, 10).hidden(64).build();
        long bytes = MemoryPlan.bytes(spec);
        MemoryPlan.check(spec, bytes, "are free", "give it more");
        MemoryPlan.TooLarge e = assertThrows(MemoryPlan.TooLarge.class,
                () -> MemoryPlan.check(spec, bytes - 4, "are free somewhere", "give it more"));
        assertEquals(bytes - 4, e.availableBytes());
        assertTrue(e.neededBytes() > bytes - 4 && e.neededBytes() <= bytes, "at least the budget, at most the plan");
        assertTrue(e.getMessage().startsWith("the ae model needs at least "), e.getMessage());
        assertTrue(e.getMessage().contains("are free somewhere; give it more, or make it smaller"), e.getMessage());
    }

    /** 2 x 30000 units: 1.8e9 parameters in the second cell, 27 GiB with their moments; stopped at the budget. */
    @Test
    void anAbsurdModelIsStoppedAtTheBudgetWithoutCountingItAll() {
        ModelSpec huge = new ModelSpecBuilder(ModelKind.AE, 784, 10).cells(2).hidden(30000).build();
        long t0 = System.nanoTime();
        MemoryPlan.TooLarge e = assertThrows(MemoryPlan.TooLarge.class,
                () -> MemoryPlan.check(huge, 1L << 30, "are free", "give it more"));
        // cell 1 (0.75 GiB) and the first tensor of cell 2's parameters (1.8e9 floats) were counted, then it stopped
        assertTrue(e.neededBytes() > 7L << 30 && e.neededBytes() < 8L << 30, "counted: " + e.neededBytes());
        assertTrue(e.getMessage().startsWith("the ae model needs at least 7.4"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 30, "counting stopped early");
    }

    @Test
    void aPartLargerThanATensorIsAnArgumentError() {
        ModelSpec tooWide = new ModelSpecBuilder(ModelKind.AE, 784, 10).cells(2).hidden(40000).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryPlan.check(tooWide, Long.MAX_VALUE, "are free", "give it more"));
        assertTrue(e.getMessage().startsWith("cell 2: a part with 3,200,080,000 parameters"), e.getMessage());
    }

    @Test
    void sizesReadAsMibOrGib() {
        assertEquals("512.0 MiB", MemoryPlan.gib(512L << 20));
        assertEquals("2.50 GiB", MemoryPlan.gib(5L << 29));
    }
}
