package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;

/** Small model specs for tests. */
final class TestSpecs {
    private TestSpecs() {
    }

    static ModelSpec spec(ModelKind kind, int input, int classes, int cells, int hidden, Epilogue encoder,
                          Noise noise, float l1, int headHidden, HeadInput headInput, int batch, long seed) {
        boolean ff = kind == ModelKind.FF; // Forward-Forward takes no sparsity, penalty or head
        boolean noL1 = ff || kind == ModelKind.GAN;
        return new ModelSpec(kind, input, classes, cells, hidden, encoder.activation(), ff ? 0 : encoder.topK(),
                ff ? 0 : encoder.topK(), encoder.layerNorm(), Activation.SIGMOID, noise, noL1 ? 0f : l1, 0f,
                ff ? 0 : headHidden, headInput, Schedule.PIPELINED, AdamW.DEFAULT, LrSchedule.CONSTANT, batch, seed);
    }

    static ModelSpec ae(int input, int cells, int hidden, Epilogue encoder, int batch, long seed) {
        return spec(ModelKind.AE, input, 10, cells, hidden, encoder, Noise.NONE, 0f, 0, HeadInput.ALL, batch, seed);
    }
}
