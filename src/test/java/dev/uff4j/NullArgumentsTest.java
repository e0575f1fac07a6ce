package dev.uff4j;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.CsvReader;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.train.EarlyStopping;
import dev.uff4j.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A null given to the public API is a NullPointerException that names the argument, not a bare one from inside. */
class NullArgumentsTest {
    private static void named(String message, Executable call) {
        assertEquals(message, assertThrows(NullPointerException.class, call).getMessage());
    }

    @Test
    void theEntryPointsNameTheirNullArgument() {
        ModelSpec spec = new ModelSpecBuilder(ModelKind.AE, 784, 10).hidden(8).build();
        try (Backend b = new CpuBackend(1)) {
            named("backend", () -> Models.create(null, spec));
            named("spec", () -> Models.create(b, null));
            named("model", () -> new Trainer(b, null));
            named("file", () -> ModelCheckpoint.save(null, Models.create(b, spec), Map.of()));
            named("backend", () -> ModelCheckpoint.load(Path.of("x.ckpt"), null));
            named("id", () -> Datasets.load(null, Path.of("data")));
            named("kind", () -> new ModelSpecBuilder(null, 784, 10));
            named("dataset", () -> DatasetPresets.builder(ModelKind.AE, null));
            named("options", () -> BackendFactory.open(null, line -> { }));
            named("checkpoint", () -> Uff4j.load(null));
            named("log", () -> Datasets.fetchAndLoad(DatasetId.MNIST, Path.of("data"), null));
            named("options", () -> Uff4j.load(Path.of("x.uff"), null));
            named("model", () -> Predictor.of(b, null));
            named("rows", () -> Dataset.of(null));
            named("labels", () -> Dataset.of(new float[][] {{1}}, null));
            named("file", () -> CsvReader.csv().read((Path) null));
            named("column", () -> CsvReader.csv().label(null));
            named("validation", () -> EarlyStopping.on(null));
            named("parent", () -> new BackendScope(null));
            named("free: t is null", () -> b.free(null));
            named("newHyper", () -> Models.create(b, spec).parameterGroups().get("head").setHyper(null));
            try (Trainer trainer = new Trainer(b, Models.create(b, spec))) {
                named("listener", () -> trainer.addListener(null));
                named("train", () -> trainer.train(null, 1));
                named("set", () -> trainer.evaluate(null));
            }
        }
        named("kind", () -> DatasetPresets.builder(null, DatasetId.MNIST));
    }

    @Test
    void backendOpsNameTheOpAndTheArgument() {
        try (Backend b = new CpuBackend(1)) {
            Tensor x = b.zeros(2, 3);
            Tensor w = b.zeros(3, 4);
            named("denseForward: x is null", () -> b.denseForward(null, w, b.zeros(1, 4),
                    Epilogue.of(Activation.RELU), b.zeros(2, 4), null, null));
            named("denseForward: epilogue is null", () -> b.denseForward(x, w, b.zeros(1, 4), null, b.zeros(2, 4),
                    null, null));
            named("mseLoss: acc is null", () -> b.mseLoss(x, x, x, x, null, 0));
            named("download: src is null", () -> b.download(null, new float[6], 0));
            named("fill: t is null", () -> b.fill(null, 0f));
            named("corrupt: noise is null", () -> b.corrupt(x, null, 1, 1, x));
            named("randn: out is null", () -> b.randn(null, 0f, 1f, 1, 1));
            named("upload: src is null", () -> b.upload(null, 0, x));
        }
    }
}
