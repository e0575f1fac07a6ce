package dev.uff4j.checkpoint;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.TestKinds;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.model.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.uff4j.backend.TestArrays.download;
import static dev.uff4j.backend.TestArrays.uniform;
import static dev.uff4j.backend.TestArrays.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** save -> load -> predict gives bit-identical logits for every model kind; mismatched files are rejected. */
class ModelCheckpointTest {
    @TempDir
    Path dir;

    private static ModelSpec spec(ModelKind kind, int hidden) {
        boolean ff = kind == ModelKind.FF; // Forward-Forward takes no sparsity or head
        return new ModelSpecBuilder(kind, 20, 5).cells(2).hidden(hidden).activation(Activation.RELU)
                .topK(ff ? 0 : 4).latentTopK(ff ? 0 : 3).layerNorm(true).decoderActivation(Activation.SIGMOID)
                .noise(kind == ModelKind.DAE ? new Noise(0.1f, 0.1f) : Noise.NONE).l1(0f)
                .lifetime(ff || kind == ModelKind.GAN ? 0f : 0.25f).headHidden(ff ? 0 : 8).headInput(HeadInput.ALL)
                .schedule(Schedule.PIPELINED).optimizer(AdamW.DEFAULT).lrSchedule(LrSchedule.COSINE).batch(16).seed(3)
                .build();
    }

    private static void train(Backend b, Model m, SplittableRandom r) {
        for (int s = 0; s < 5; s++) {
            float[] y = new float[16];
            for (int i = 0; i < 16; i++) {
                y[i] = r.nextInt(5);
            }
            m.trainBatch(0, upload(b, uniform(r, 16 * 20, 0, 1), 16, 20), upload(b, y, 16, 1));
        }
    }

    @Test
    void savedModelsPredictBitIdenticallyAfterLoading() {
        for (ModelKind kind : TestKinds.DENSE) {
            Path file = dir.resolve(kind.id() + ".ckpt");
            float[] x = uniform(new SplittableRandom(9), 16 * 20, 0, 1);
            float[] before;
            try (Backend b = new CpuBackend(2)) {
                Model m = Models.create(b, spec(kind, 12));
                train(b, m, new SplittableRandom(1));
                before = download(b, m.logits(upload(b, x, 16, 20)));
                ModelCheckpoint.save(file, m, Map.of("dataset", "synthetic"));
            }
            try (Backend b = new CpuBackend(1)) {
                ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(file, b);
                assertEquals(spec(kind, 12), loaded.model().spec(), kind + ": spec survives the round trip");
                assertEquals("synthetic", loaded.config().get("dataset"));
                Tensor logits = loaded.model().logits(upload(b, x, 16, 20));
                assertArrayEquals(before, download(b, logits), kind + ": logits after reload (1 thread vs 2)");
            }
        }
    }

    @Test
    void aTensorOfTheWrongShapeOrAMissingTensorIsRejected() {
        Path file = dir.resolve("m.ckpt");
        try (Backend b = new CpuBackend(1)) {
            ModelCheckpoint.save(file, Models.create(b, spec(ModelKind.AE, 12)), Map.of());
            Checkpoint c = CheckpointFile.read(file);

            Map<String, String> wider = new LinkedHashMap<>(c.config());
            wider.put("hidden", "13");
            Path widerFile = dir.resolve("wider.ckpt");
            CheckpointFile.write(widerFile, wider, c.tensors());
            CheckpointException e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(widerFile, b));
            assertTrue(e.getMessage().contains("cell1/encoder.weight' is 20x12, the model needs 20x13"),
                    e.getMessage());

            List<NamedTensor> fewer = new ArrayList<>(c.tensors());
            fewer.removeIf(t -> t.name().equals("head/output.bias"));
            Path fewerFile = dir.resolve("fewer.ckpt");
            CheckpointFile.write(fewerFile, c.config(), fewer);
            e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(fewerFile, b));
            assertTrue(e.getMessage().contains("missing tensor 'head/output.bias'"), e.getMessage());

            Map<String, String> broken = new LinkedHashMap<>(c.config());
            broken.put("activation", "swish");
            Path brokenFile = dir.resolve("broken.ckpt");
            CheckpointFile.write(brokenFile, broken, c.tensors());
            e = assertThrows(CheckpointException.class, () -> ModelCheckpoint.load(brokenFile, b));
            assertTrue(e.getMessage().contains("unusable model configuration") && e.getMessage().contains("swish"),
                    e.getMessage());
        }
    }
}
