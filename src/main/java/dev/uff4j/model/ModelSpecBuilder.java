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
    /** Default for layer-normalising the latent passed on (ff: false, as it normalises between layers itself). */
    public static final boolean LAYER_NORM = true;
    /** Default encoder activation of every cell and layer. */
    public static final Activation ACTIVATION = Activation.RELU;
    /** Default activation of the first cell's reconstruction: sigmoid, for pixels in [0, 1]. */
    public static final Activation DECODER_ACTIVATION = Activation.SIGMOID;
    /** Default DAE corruption (the AE has none). */
    public static final Noise DAE_NOISE = new Noise(0.1f, 0.1f);
    /** Default lifetime sparsity while training (0: off). */
    public static final float LIFETIME = 0.05f;
    /** Default hidden width of the head (0: a linear head). */
    public static final int HEAD_HIDDEN = 0;
    /** Default AdamW: PyTorch's defaults but a learning rate of 3e-3. */
    public static final AdamW OPTIMIZER = AdamW.DEFAULT.withLr(3e-3);
    /** Default learning-rate schedule over a training stage. */
    public static final LrSchedule LR_SCHEDULE = LrSchedule.COSINE;
    /** Default mini-batch size. */
    public static final int BATCH = 128;
    /** Forward-Forward layers (of {@link #HIDDEN} units), as in a public reimplementation of Hinton's MNIST result. */
    public static final int FF_LAYERS = 3;
    /** Default seed. */
    public static final long SEED = 1;
    /**
     * Discriminator width of a gan model's cell: wider than the other cells' latents because the discriminator's
     * features, not a code, are what the head reads (measured against 1000 in docs/results.md). Fashion-MNIST's
     * preset makes it 8000 ({@code DatasetPresets.GAN_FASHION_HIDDEN}).
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
    private boolean mirror;

    /**
     * A builder with the defaults of {@code kind}: the constants of this class, except that cae and bp-cnn get
     * {@link #CAE_CELLS} (bp-cnn without lifetime sparsity), bp has no lifetime sparsity either (no cell of its own
     * trains on a local loss, so a report shows 0, which it trains with), gan gets {@link #GAN_HIDDEN} units without lifetime
     * sparsity, ff gets {@link #FF_LAYERS} layers without lifetime sparsity or layer norm, and dae gets
     * {@link #DAE_NOISE}. The input has one channel, the head reads every cell and the schedule is pipelined.
     *
     * @param kind      the model kind
     * @param inputSize features per sample (checked by {@link #build})
     * @param classes   number of classes (checked by {@link #build})
     * @throws NullPointerException if {@code kind} is null
     */
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
        if (kind == ModelKind.BP) {
            this.lifetime = 0f;
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

    /**
     * The number of identical cells (or layers); clears a cell list.
     *
     * @param v cells, in [1, 64]; cae and bp-cnn need a {@link #cellList} instead
     * @return this builder
     */
    public ModelSpecBuilder cells(int v) {
        cells = v;
        cellList = List.of();
        return this;
    }

    /**
     * Latent width of every cell (without a cell list) and of every bp or ff layer.
     *
     * @param v units, in [1, 65536]; default {@link #HIDDEN} ({@link #GAN_HIDDEN} for gan)
     * @return this builder
     */
    public ModelSpecBuilder hidden(int v) {
        hidden = v;
        return this;
    }

    /**
     * Encoder activation of every cell and layer.
     *
     * @param v the activation; default {@link #ACTIVATION}
     * @return this builder
     */
    public ModelSpecBuilder activation(Activation v) {
        activation = v;
        return this;
    }

    /**
     * Top-k sparsity of a dense cell's latent while it trains.
     *
     * @param v units kept per row, in [0, hidden] (0: off); default {@link #TOP_K}
     * @return this builder
     */
    public ModelSpecBuilder topK(int v) {
        topK = v;
        return this;
    }

    /**
     * Top-k sparsity of the latent a dense cell passes on (and of bp layers).
     *
     * @param v units kept per row, in [0, hidden] (0: dense); default {@link #LATENT_TOP_K}
     * @return this builder
     */
    public ModelSpecBuilder latentTopK(int v) {
        latentTopK = v;
        return this;
    }

    /**
     * Whether the latent a dense cell passes on (and a bp layer's output) is layer-normalised.
     *
     * @param v true to normalise; default {@link #LAYER_NORM} (false for ff)
     * @return this builder
     */
    public ModelSpecBuilder layerNorm(boolean v) {
        layerNorm = v;
        return this;
    }

    /**
     * Activation of the first cell's reconstruction; later cells reconstruct with the identity.
     *
     * @param v the activation; default {@link #DECODER_ACTIVATION}
     * @return this builder
     */
    public ModelSpecBuilder decoderActivation(Activation v) {
        decoderActivation = v;
        return this;
    }

    /**
     * Input corruption of dae cells; once set, it replaces the default for dae cells in a cell list too.
     *
     * @param v the corruption; only {@link Noise#NONE} unless a cell is dae; default {@link #DAE_NOISE} for dae
     * @return this builder
     */
    public ModelSpecBuilder noise(Noise v) {
        noise = v;
        noiseSet = true;
        return this;
    }

    /**
     * L1 penalty weight on each dense cell's latent.
     *
     * @param v the weight (0: off, the default); not for gan or ff
     * @return this builder
     */
    public ModelSpecBuilder l1(float v) {
        l1 = v;
        return this;
    }

    /**
     * Lifetime sparsity while a cell trains: the fraction of each batch on which every latent unit stays active.
     *
     * @param v the fraction, in [0, 1] (0: off); default {@link #LIFETIME} (0 for gan, ff and bp-cnn)
     * @return this builder
     */
    public ModelSpecBuilder lifetime(float v) {
        lifetime = v;
        return this;
    }

    /**
     * Hidden width of the classifier head.
     *
     * @param v 0 for a linear head (the default), else the width of its ReLU layer; 0 for ff
     * @return this builder
     */
    public ModelSpecBuilder headHidden(int v) {
        headHidden = v;
        return this;
    }

    /**
     * Which latents the head reads.
     *
     * @param v all (the default) or the last cell's
     * @return this builder
     */
    public ModelSpecBuilder headInput(HeadInput v) {
        headInput = v;
        return this;
    }

    /**
     * How the parts of a UFF model share the epochs.
     *
     * @param v pipelined (the default) or greedy
     * @return this builder
     */
    public ModelSpecBuilder schedule(Schedule v) {
        schedule = v;
        return this;
    }

    /**
     * AdamW hyper-parameters of every part (a gan cell keeps its own rate and beta1).
     *
     * @param v the hyper-parameters; default {@link #OPTIMIZER}
     * @return this builder
     */
    public ModelSpecBuilder optimizer(AdamW v) {
        optimizer = v;
        return this;
    }

    /**
     * The AdamW learning rate of every part, the other hyper-parameters as they are.
     *
     * @param v the learning rate, finite and greater than 0; default {@link #OPTIMIZER}'s
     * @return this builder
     * @throws IllegalArgumentException if {@code v} is not finite and greater than 0
     */
    public ModelSpecBuilder lr(double v) {
        optimizer = optimizer.withLr(v);
        return this;
    }

    /**
     * The AdamW weight decay of every part, the other hyper-parameters as they are.
     *
     * @param v the weight decay, finite and at least 0; default {@link #OPTIMIZER}'s (0.1 for dae cells on
     *          Fashion-MNIST: {@code dev.uff4j.presets.DatasetPresets})
     * @return this builder
     * @throws IllegalArgumentException if {@code v} is not finite or is negative
     */
    public ModelSpecBuilder weightDecay(double v) {
        optimizer = optimizer.withWeightDecay(v);
        return this;
    }

    /**
     * How the learning rate changes over a training stage.
     *
     * @param v the schedule; default {@link #LR_SCHEDULE}
     * @return this builder
     */
    public ModelSpecBuilder lrSchedule(LrSchedule v) {
        lrSchedule = v;
        return this;
    }

    /**
     * Mini-batch size: also the most rows the model takes in one call.
     *
     * @param v rows, in [1, 65536]; default {@link #BATCH}
     * @return this builder
     */
    public ModelSpecBuilder batch(int v) {
        batch = v;
        return this;
    }

    /**
     * Seed of every random choice (weights, shuffling, noise).
     *
     * @param v the seed; default {@link #SEED}
     * @return this builder
     */
    public ModelSpecBuilder seed(long v) {
        seed = v;
        return this;
    }

    /**
     * Image channels of the input (3 for CIFAR-10); the planes are square.
     *
     * @param v channels, at least 1 and a divisor of the input size; default 1
     * @return this builder
     */
    public ModelSpecBuilder channels(int v) {
        channels = v;
        return this;
    }

    /**
     * Training images translated by up to {@code v} pixels (0: none).
     *
     * @param v pixels, in [0, image width); default 0
     * @return this builder
     */
    public ModelSpecBuilder shift(int v) {
        shift = v;
        return this;
    }

    /**
     * Training images mirrored left to right with probability 1/2 (before any shift): for photographs of objects
     * with a left-right symmetry, such as Fashion-MNIST's clothes; not for digits.
     *
     * @param v whether to mirror; default false
     * @return this builder
     */
    public ModelSpecBuilder mirror(boolean v) {
        mirror = v;
        return this;
    }

    /**
     * The cells one by one; also sets the cell count.
     *
     * @param v the cells (copied); empty for {@link #cells} identical ones; not for bp or ff
     * @return this builder
     * @throws NullPointerException if {@code v} or an entry is null
     */
    public ModelSpecBuilder cellList(List<CellDef> v) {
        cellList = List.copyOf(v);
        cells = v.size();
        return this;
    }

    /**
     * The spec of what was set, with the defaults for the rest. A dae cell in the cell list of another model kind
     * gets {@link #DAE_NOISE} unless {@link #noise} was set.
     *
     * @return a new spec; the builder can go on to build others
     * @throws IllegalArgumentException when the combination is invalid (e.g. top-k above the width)
     * @throws NullPointerException     when an activation, the noise, the head input, the optimizer or a schedule
     *                                  was set to null
     */
    public ModelSpec build() {
        // a dae cell in the list of another model kind corrupts its input as a dae model's cells do, unless set
        Noise cellNoise = !noiseSet && cellList.stream().anyMatch(d -> d.kind() == CellKind.DAE) ? DAE_NOISE : noise;
        return new ModelSpec(kind, inputSize, channels, classes,
                new ModelSpec.Cells(cells, hidden, activation, topK, latentTopK, layerNorm, decoderActivation,
                        cellNoise, l1, lifetime, cellList),
                new ModelSpec.Head(headHidden, headInput),
                new ModelSpec.Optimization(optimizer, lrSchedule, schedule, batch),
                new ModelSpec.Augmentation(shift, mirror), seed);
    }
}
