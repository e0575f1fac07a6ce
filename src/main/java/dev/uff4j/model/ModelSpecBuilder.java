package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Noise;

import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link ModelSpec} from uff4j's defaults for a model kind, which the command line and the Java API share.
 * The defaults are the measured winners of {@code docs/learning-quality.md} and {@code docs/results.md}; every
 * field can be overridden. Defaults that depend on the dataset too are a table of their own
 * ({@code dev.uff4j.presets.DatasetPresets}).
 */
public final class ModelSpecBuilder {
    /** Default cells (UFF) or encoder layers (BP). */
    public static final int CELLS = 1;
    /** Default latent width. */
    public static final int HIDDEN = 1000;
    /** Default top-k sparsity while training a cell. */
    public static final int TOP_K = 0;
    /** Default top-k sparsity of the latent passed on (0: dense). */
    public static final int LATENT_TOP_K = 0;
    public static final boolean LAYER_NORM = true;
    public static final Activation ACTIVATION = Activation.RELU;
    public static final Activation DECODER_ACTIVATION = Activation.SIGMOID;
    /** Default DAE corruption (the AE has none). */
    public static final Noise DAE_NOISE = new Noise(0.1f, 0.1f);
    /** Default lifetime sparsity while training (0: off). */
    public static final float LIFETIME = 0.05f;
    public static final int HEAD_HIDDEN = 0;
    /** Default AdamW: PyTorch's defaults but a learning rate of 3e-3. */
    public static final AdamW OPTIMIZER = AdamW.DEFAULT.withLr(3e-3);
    public static final LrSchedule LR_SCHEDULE = LrSchedule.COSINE;
    public static final int BATCH = 128;
    /** Forward-Forward layers (of {@link #HIDDEN} units), as in a public reimplementation of Hinton's MNIST result. */
    public static final int FF_LAYERS = 3;
    public static final long SEED = 1;
    /**
     * Discriminator width of a gan model's cell: wider than the other cells' latents because the discriminator's
     * features, not a code, are what the head reads (measured against 1000 in docs/results.md).
     */
    public static final int GAN_HIDDEN = 2000;
    /** Convolutional cells of cae and bp-cnn: 32 then 64 feature maps, each halving the image (28 -> 14 -> 7). */
    public static final List<CellDef> CAE_CELLS = List.of(new CellDef(CellKind.CAE, 32), new CellDef(CellKind.CAE, 64));

    private final ModelKind kind;
    private final int inputSize;
    private final int classes;
    private int cells = CELLS;
    private int hidden = HIDDEN;
    private Activation activation = ACTIVATION;
    private int topK = TOP_K;
    private int latentTopK = LATENT_TOP_K;
    private boolean layerNorm = LAYER_NORM;
    private Activation decoderActivation = DECODER_ACTIVATION;
    private Noise noise;
    private boolean noiseSet;
    private float l1;
    private float lifetime = LIFETIME;
    private int headHidden = HEAD_HIDDEN;
    private HeadInput headInput = HeadInput.ALL;
    private Schedule schedule = Schedule.PIPELINED;
    private AdamW optimizer = OPTIMIZER;
    private LrSchedule lrSchedule = LR_SCHEDULE;
    private int batch = BATCH;
    private long seed = SEED;
    private int channels = 1;
    private List<CellDef> cellList = List.of();
    private int shift;

    public ModelSpecBuilder(ModelKind kind, int inputSize, int classes) {
        Objects.requireNonNull(kind, "kind");
        this.kind = kind;
        this.inputSize = inputSize;
        this.classes = classes;
        this.noise = kind == ModelKind.DAE ? DAE_NOISE : Noise.NONE;
        if (kind == ModelKind.CAE || kind == ModelKind.BP_CNN) {
            this.cellList = CAE_CELLS;
            this.cells = CAE_CELLS.size();
            // cae cells are lifetime sparse too, per map position (it helped on MNIST: docs/results.md); bp-cnn
            // trains end to end and has no such rule
            this.lifetime = kind == ModelKind.CAE ? LIFETIME : 0f;
        }
        if (kind == ModelKind.GAN) {
            this.hidden = GAN_HIDDEN;
            this.lifetime = 0f; // the discriminator's features are not sparsified
        }
        if (kind == ModelKind.FF) {
            // Forward-Forward: no sparsity, its own normalisation between layers; lr 3e-3 as for the cells (the
            // rates tried are in FfModel's documentation)
            this.cells = FF_LAYERS;
            this.lifetime = 0f;
            this.layerNorm = false;
        }
    }

    /** The number of identical cells (or layers); clears a cell list. */
    public ModelSpecBuilder cells(int v) {
        cells = v;
        cellList = List.of();
        return this;
    }

    public ModelSpecBuilder hidden(int v) {
        hidden = v;
        return this;
    }

    public ModelSpecBuilder activation(Activation v) {
        activation = v;
        return this;
    }

    public ModelSpecBuilder topK(int v) {
        topK = v;
        return this;
    }

    public ModelSpecBuilder latentTopK(int v) {
        latentTopK = v;
        return this;
    }

    public ModelSpecBuilder layerNorm(boolean v) {
        layerNorm = v;
        return this;
    }

    public ModelSpecBuilder decoderActivation(Activation v) {
        decoderActivation = v;
        return this;
    }

    public ModelSpecBuilder noise(Noise v) {
        noise = v;
        noiseSet = true;
        return this;
    }

    public ModelSpecBuilder l1(float v) {
        l1 = v;
        return this;
    }

    public ModelSpecBuilder lifetime(float v) {
        lifetime = v;
        return this;
    }

    public ModelSpecBuilder headHidden(int v) {
        headHidden = v;
        return this;
    }

    public ModelSpecBuilder headInput(HeadInput v) {
        headInput = v;
        return this;
    }

    public ModelSpecBuilder schedule(Schedule v) {
        schedule = v;
        return this;
    }

    public ModelSpecBuilder optimizer(AdamW v) {
        optimizer = v;
        return this;
    }

    public ModelSpecBuilder lrSchedule(LrSchedule v) {
        lrSchedule = v;
        return this;
    }

    public ModelSpecBuilder batch(int v) {
        batch = v;
        return this;
    }

    public ModelSpecBuilder seed(long v) {
        seed = v;
        return this;
    }

    /** Image channels of the input (3 for CIFAR-10); the planes are square. */
    public ModelSpecBuilder channels(int v) {
        channels = v;
        return this;
    }

    /** Training images translated by up to {@code v} pixels (0: none). */
    public ModelSpecBuilder shift(int v) {
        shift = v;
        return this;
    }

    /** The cells one by one; also sets the cell count. */
    public ModelSpecBuilder cellList(List<CellDef> v) {
        cellList = List.copyOf(v);
        cells = v.size();
        return this;
    }

    /** @throws IllegalArgumentException when the combination is invalid (e.g. top-k above the width) */
    public ModelSpec build() {
        // a dae cell in the list of another model kind corrupts its input as a dae model's cells do, unless set
        Noise cellNoise = !noiseSet && cellList.stream().anyMatch(d -> d.kind() == CellKind.DAE) ? DAE_NOISE : noise;
        return new ModelSpec(kind, inputSize, channels, classes,
                new ModelSpec.Cells(cells, hidden, activation, topK, latentTopK, layerNorm, decoderActivation,
                        cellNoise, l1, lifetime, cellList),
                new ModelSpec.Head(headHidden, headInput),
                new ModelSpec.Optimization(optimizer, lrSchedule, schedule, batch),
                new ModelSpec.Augmentation(shift), seed);
    }
}
