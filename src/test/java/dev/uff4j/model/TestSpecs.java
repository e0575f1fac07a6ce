package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;

/** Small model specs for tests, built as users build them: with {@link ModelSpecBuilder}. */
final class TestSpecs {
    private TestSpecs() {
    }

    /**
     * A builder with the settings the model tests share, unlike the library's defaults: PyTorch's AdamW (lr 1e-3), a
     * constant learning rate and no lifetime sparsity.
     */
    static ModelSpecBuilder builder(ModelKind kind, int input, int classes) {
        return new ModelSpecBuilder(kind, input, classes).optimizer(AdamW.DEFAULT).lrSchedule(LrSchedule.CONSTANT)
                .lifetime(0f);
    }

    /** {@code cells} dense cells (or layers) with {@code encoder}'s activation, top-k (training and latent) and norm. */
    static ModelSpec spec(ModelKind kind, int input, int classes, int cells, int hidden, Epilogue encoder,
                          Noise noise, float l1, int headHidden, HeadInput headInput, int batch, long seed) {
        boolean ff = kind == ModelKind.FF; // Forward-Forward takes no sparsity, penalty or head
        boolean noL1 = ff || kind == ModelKind.GAN;
        return builder(kind, input, classes).cells(cells).hidden(hidden).activation(encoder.activation())
                .topK(ff ? 0 : encoder.topK()).latentTopK(ff ? 0 : encoder.topK()).layerNorm(encoder.layerNorm())
                .decoderActivation(Activation.SIGMOID).noise(noise).l1(noL1 ? 0f : l1).headHidden(ff ? 0 : headHidden)
                .headInput(headInput).batch(batch).seed(seed).build();
    }

    static ModelSpec ae(int input, int cells, int hidden, Epilogue encoder, int batch, long seed) {
        return spec(ModelKind.AE, input, 10, cells, hidden, encoder, Noise.NONE, 0f, 0, HeadInput.ALL, batch, seed);
    }
}
