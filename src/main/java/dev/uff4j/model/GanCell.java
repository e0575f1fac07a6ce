package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A GAN cell: a generator and a discriminator trained on the cell's input with the standard non-saturating loss
 * (Goodfellow et al., 2014), both multilayer perceptrons:
 * <ul>
 *   <li>generator: z ({@value #NOISE} Gaussian values) -> {@value #GENERATOR_HIDDEN} ReLU -> the input width, with
 *       the cell's reconstruction activation (sigmoid for pixels in [0, 1], the identity for later cells);</li>
 *   <li>discriminator: input -> {@code hidden} units with the cell's encoder epilogue -> 2 logits (real, fake), so
 *       its loss is the backend's softmax cross-entropy, which for two classes is the logistic loss.</li>
 * </ul>
 * Each step: the discriminator learns on the real batch and as many generated samples, stacked into one batch of
 * 2n rows (loss: real as real plus fake as fake); then the generator learns to have its samples called real by the
 * updated discriminator (the non-saturating loss), with the gradient passed back through the discriminator, whose
 * own gradients from that pass are discarded. The latent the cell passes on is the discriminator's hidden layer on
 * real data, with the cell's latent epilogue (layer norm by default): the established way of using a GAN's
 * features for classification (Radford et al., 2016).
 */
final class GanCell implements Cell {
    /** Width of the generator's noise input. */
    public static final int NOISE = 64;
    /** Width of the generator's hidden layer. */
    public static final int GENERATOR_HIDDEN = 256;
    /**
     * Learning rate and first moment decay of both networks: DCGAN's (Radford et al., 2016). With the cells' AdamW
     * (3e-3, 0.9) the discriminator wins at once and its features are worth less to the head (docs/results.md, GAN
     * cell: the optimizer). Weight decay and beta2 come from the model's optimizer; {@code --lr} sets the head's rate
     * only.
     */
    public static final double LR = 2e-4;
    public static final double BETA1 = 0.5;
    private static final int REAL = 1;
    private final Backend backend;
    private final CellSpec spec;
    private final ParameterSet disc;
    private final ParameterSet gen;
    private final DenseLayer dHidden;
    private final DenseLayer dOut;
    /** The same discriminator weights with buffers of one batch, for the generator's pass (no views per step). */
    private final DenseLayer dHiddenG;
    private final DenseLayer dOutG;
    private final DenseLayer gHidden;
    private final DenseLayer gOut;
    private final Tensor z;
    private final Tensor both;
    private final Tensor realLabels;
    private final Tensor fakeLabels;
    private final Tensor dLogits;
    private final Tensor dHidden2;
    private final Tensor dLogitsG;
    private final Tensor dHiddenGrad;
    private final Tensor dFake;
    private final Tensor dGenHidden;
    private final LossMeter losses;
    private final long seed;

    public GanCell(Backend backend, CellSpec spec, AdamW hyper, int maxBatch, long seed) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hyper, "hyper");
        if (spec.kind() != CellKind.GAN) {
            throw new IllegalArgumentException("not a gan cell spec: " + spec.kind());
        }
        this.backend = backend;
        this.spec = spec;
        this.seed = seed;
        int in = spec.input();
        ParameterSet.Builder db = new ParameterSet.Builder();
        ParameterSet.Slot[] dh = DenseLayer.declare(db, "disc1", in, spec.hidden());
        ParameterSet.Slot[] dout = DenseLayer.declare(db, "disc2", spec.hidden(), 2);
        AdamW pair = new AdamW(LR, BETA1, hyper.beta2(), hyper.eps(), hyper.weightDecay());
        this.disc = db.build(backend, pair);
        ParameterSet.Builder gb = new ParameterSet.Builder();
        ParameterSet.Slot[] gh = DenseLayer.declare(gb, "gen1", NOISE, GENERATOR_HIDDEN);
        ParameterSet.Slot[] gout = DenseLayer.declare(gb, "gen2", GENERATOR_HIDDEN, in);
        this.gen = gb.build(backend, pair);
        int rows = 2 * maxBatch;
        this.dHidden = new DenseLayer(backend, disc, dh, spec.train(), rows);
        this.dOut = new DenseLayer(backend, disc, dout, Epilogue.of(Activation.IDENTITY), rows);
        this.dHiddenG = new DenseLayer(backend, disc, dh, spec.train(), maxBatch);
        this.dOutG = new DenseLayer(backend, disc, dout, Epilogue.of(Activation.IDENTITY), maxBatch);
        this.gHidden = new DenseLayer(backend, gen, gh, Epilogue.of(Activation.RELU), maxBatch);
        this.gOut = new DenseLayer(backend, gen, gout, Epilogue.of(spec.decoderActivation()), maxBatch);
        SplittableRandom random = new SplittableRandom(seed);
        dHidden.init(random);
        dOut.init(random);
        gHidden.init(random);
        gOut.init(random);
        this.z = backend.zeros(maxBatch, NOISE);
        this.both = backend.zeros(rows, in);
        this.realLabels = backend.zeros(maxBatch, 1);
        backend.fill(realLabels, REAL);
        this.fakeLabels = backend.zeros(maxBatch, 1);
        this.dLogits = backend.zeros(rows, 2);
        this.dHidden2 = backend.zeros(rows, spec.hidden());
        this.dLogitsG = backend.zeros(maxBatch, 2);
        this.dHiddenGrad = backend.zeros(maxBatch, spec.hidden());
        this.dFake = backend.zeros(maxBatch, in);
        this.dGenHidden = backend.zeros(maxBatch, GENERATOR_HIDDEN);
        // slots: 0 discriminator on real, 1 its hits, 2 on fake, 3 its hits, 4 generator, 5 its hits
        this.losses = new LossMeter(backend, 6);
    }

    @Override
    public CellSpec spec() {
        return spec;
    }

    @Override
    public Tensor encode(Tensor x) {
        return dHiddenG.forward(x, spec.latent());
    }

    @Override
    public void trainStep(Tensor x) {
        int n = x.rows();
        // generate n samples
        Tensor noise = z.firstRows(n);
        backend.randn(noise, 0f, 1f, seed, gen.steps());
        Tensor hiddenG = gHidden.forwardTrain(noise);
        Tensor fake = gOut.forwardTrain(hiddenG);
        // discriminator on [real; fake]: rows 0..n real, n..2n fake
        backend.copy(x, both.rowRange(0, n));
        backend.copy(fake, both.rowRange(n, n));
        Tensor stacked = both.firstRows(2 * n);
        Tensor h = dHidden.forwardTrain(stacked);
        Tensor logits = dOut.forwardTrain(h);
        Tensor dl = dLogits.firstRows(2 * n);
        backend.softmaxCrossEntropy(logits.rowRange(0, n), realLabels.firstRows(n), dl.rowRange(0, n),
                losses.sums(), 0);
        backend.softmaxCrossEntropy(logits.rowRange(n, n), fakeLabels.firstRows(n), dl.rowRange(n, n),
                losses.sums(), 2);
        Tensor dh = dHidden2.firstRows(2 * n);
        dOut.backwardFromPreActivation(h, dl, dh);
        dHidden.backward(stacked, dh, null);
        disc.step();
        // generator: its samples should be called real by the updated discriminator
        Tensor hFake = dHiddenG.forwardTrain(fake);
        Tensor logitsFake = dOutG.forwardTrain(hFake);
        Tensor dlFake = dLogitsG.firstRows(n);
        backend.softmaxCrossEntropy(logitsFake, realLabels.firstRows(n), dlFake, losses.sums(), 4);
        Tensor dhFake = dHiddenGrad.firstRows(n);
        dOutG.backwardFromPreActivation(hFake, dlFake, dhFake);
        Tensor df = dFake.firstRows(n);
        dHiddenG.backward(fake, dhFake, df); // the discriminator's own gradients from this pass are not applied
        Tensor dg = dGenHidden.firstRows(n);
        gOut.backward(hiddenG, df, dg);
        gHidden.backward(noise, dg, null);
        gen.step();
        losses.count(n);
    }

    /** Generated samples, as many as {@code x} has rows (from a fixed noise seed, so plots are reproducible). */
    @Override
    public Tensor reconstruct(Tensor x) {
        int n = x.rows();
        Tensor noise = z.firstRows(n);
        backend.randn(noise, 0f, 1f, seed, -1);
        return gOut.forward(gHidden.forward(noise));
    }

    @Override
    public LossMeter losses() {
        return losses;
    }

    /** The discriminator's parameters: what {@link #encode} uses. */
    @Override
    public ParameterSet parameters() {
        return disc;
    }

    @Override
    public Map<String, ParameterSet> parameterGroups(String name) {
        Map<String, ParameterSet> groups = new LinkedHashMap<>();
        groups.put(name, disc);
        groups.put(name + "-generator", gen);
        return groups;
    }

    @Override
    public void setLrScale(float scale) {
        disc.setLrScale(scale);
        gen.setLrScale(scale);
    }

    /** The discriminator's loss (on real plus on generated data) and the generator's. */
    @Override
    public List<String> lossSuffixes() {
        return List.of("-d", "-g");
    }

    @Override
    public double[] takeLosses() {
        LossMeter.Interval i = losses.take();
        return new double[] {i.perStep(0, 2), i.perStep(4)};
    }
}
