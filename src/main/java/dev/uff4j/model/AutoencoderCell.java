package dev.uff4j.model;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Tensor;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * AE and DAE cells: a dense encoder (activation, optional top-k sparsity) and a dense decoder trained on the mean
 * squared error of reconstructing the cell's clean input. The latent passed on uses the same encoder with its own
 * epilogue: its own sparsity (often none: the dense code separates classes better than the sparse one it was trained
 * with) and optional layer normalisation. A DAE encodes a corrupted copy
 * (masking and Gaussian noise from a counter-based generator keyed by the cell's seed and step).
 */
final class AutoencoderCell implements Cell {
    private final Backend backend;
    private final CellSpec spec;
    private final ParameterSet params;
    private final DenseLayer encoder;
    private final DenseLayer decoder;
    private final Tensor corrupted;
    private final Tensor dLatent;
    private final LossMeter losses;
    private final long seed;

    public AutoencoderCell(Backend backend, CellSpec spec, AdamW hyper, int maxBatch, long seed) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hyper, "hyper");
        this.backend = backend;
        this.spec = spec;
        this.seed = seed;
        ParameterSet.Builder b = new ParameterSet.Builder();
        ParameterSet.Slot[] enc = DenseLayer.declare(b, "encoder", spec.input(), spec.hidden());
        ParameterSet.Slot[] dec = DenseLayer.declare(b, "decoder", spec.hidden(), spec.input());
        this.params = b.build(backend, hyper);
        this.encoder = new DenseLayer(backend, params, enc, spec.train(), maxBatch);
        this.decoder = new DenseLayer(backend, params, dec, Epilogue.of(spec.decoderActivation()), maxBatch);
        SplittableRandom random = new SplittableRandom(seed);
        encoder.init(random);
        decoder.init(random);
        this.corrupted = spec.noise().isNone() ? null : backend.zeros(maxBatch, spec.input());
        this.dLatent = backend.zeros(maxBatch, spec.hidden());
        this.losses = new LossMeter(backend, 2);
    }

    @Override
    public CellSpec spec() {
        return spec;
    }

    @Override
    public Tensor encode(Tensor x) {
        return encoder.forward(x, spec.latent());
    }

    @Override
    public void trainStep(Tensor x) {
        int n = x.rows();
        Tensor input = x;
        if (corrupted != null) {
            input = corrupted.firstRows(n);
            backend.corrupt(x, spec.noise(), seed, params.steps(), input);
        }
        Tensor latent = encoder.forwardTrain(input);
        if (spec.lifetime() > 0f) {
            backend.keepTopKPerColumn(latent, encoder.deriv(n), spec.lifetimeWinners(n));
        }
        Tensor reconstruction = decoder.forwardTrain(latent);
        Tensor dzDecoder = decoder.dzBuffer(n);
        backend.mseLoss(reconstruction, x, decoder.deriv(n), dzDecoder, losses.sums(), 0);
        Tensor dh = dLatent.firstRows(n);
        decoder.backwardFromPreActivation(latent, dzDecoder, dh);
        if (spec.l1() > 0f) {
            backend.l1Penalty(latent, spec.l1(), dh, losses.sums(), 1);
        }
        encoder.backward(input, dh, null);
        params.step();
        losses.count(n);
    }

    /**
     * The decoder's output for the code of {@code x} as in training, without noise: the decoder learned from
     * lifetime-sparse codes, so the code is sparsified over the rows of {@code x} the same way (uses the training
     * buffers; call it between steps).
     */
    @Override
    public Tensor reconstruct(Tensor x) {
        int n = x.rows();
        Tensor code = encoder.forwardTrain(x);
        if (spec.lifetime() > 0f) {
            backend.keepTopKPerColumn(code, encoder.deriv(n), spec.lifetimeWinners(n));
        }
        return decoder.forward(code);
    }

    @Override
    public LossMeter losses() {
        return losses;
    }

    @Override
    public ParameterSet parameters() {
        return params;
    }
}
