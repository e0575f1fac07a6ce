package dev.uff4j.model;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Tensor;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A convolutional autoencoder cell (CAE, the UFF paper's best cell). Encoder: {@link ConvStage} (3x3 convolution to
 * the cell's feature maps, ReLU, 2x2 max pooling, or none where the input has an odd side: {@link CellSpec#pool});
 * its pooled maps are the latent, flattened for the head and passed on as maps to a next cae cell. Decoder:
 * nearest-neighbour upsampling by the same window and a 3x3 convolution back to the input's channels with the cell's
 * reconstruction activation (sigmoid for pixels, identity for later cells). Loss: mean
 * squared reconstruction error. Upsampling plus convolution rather than a transposed convolution: it reconstructs
 * without checkerboard artefacts and needs no extra op.
 *
 * <p>With lifetime sparsity (the cell spec's {@code lifetime}, as in Makhzani and Frey's convolutional
 * winner-take-all autoencoders), every latent unit (map, row, column) keeps only its largest values over the batch
 * while the cell trains, so the decoder must rebuild each image from a few strong detections; the latent passed on
 * stays dense.
 */
final class ConvCell implements Cell {
    private final Backend backend;
    private final CellSpec spec;
    private final ParameterSet params;
    private final ConvStage encoder;
    private final ConvStage inference;
    private final ConvShape decoder;
    private final ParameterSet.Slot decWeight;
    private final ParameterSet.Slot decBias;
    private final Tensor up;
    private final Tensor recon;
    private final Tensor reconDeriv;
    private final Tensor dRecon;
    private final Tensor dUp;
    private final Tensor dLatent;
    private final LossMeter losses;
    private final ImageShape latentImage;
    /** 1 where lifetime sparsity kept a latent value, 0 where it dropped one (null without sparsity). */
    private final Tensor kept;

    public ConvCell(Backend backend, CellSpec spec, AdamW hyper, int maxBatch, long seed) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(hyper, "hyper");
        if (spec.kind() != CellKind.CAE) {
            throw new IllegalArgumentException("not a cae cell spec: " + spec.kind());
        }
        this.backend = backend;
        this.spec = spec;
        ImageShape in = spec.image();
        int maps = spec.featureMaps();
        ParameterSet.Builder b = new ParameterSet.Builder();
        ParameterSet.Slot[] enc = ConvStage.declare(b, "encoder", in, maps);
        this.decWeight = b.weight("decoder.weight", in.channels(), maps * ConvStage.KERNEL * ConvStage.KERNEL);
        this.decBias = b.bias("decoder.bias", in.channels());
        this.params = b.build(backend, hyper);
        this.encoder = new ConvStage(backend, params, enc, in, spec.train().activation(), maxBatch);
        this.inference = new ConvStage(backend, params, enc, in, spec.train().activation(), maxBatch);
        this.decoder = new ConvShape(maps, in.height(), in.width(), in.channels(), ConvStage.KERNEL, 1, 1);
        SplittableRandom random = new SplittableRandom(seed);
        encoder.init(random);
        params.initUniform(decWeight, decoder.patch(), random);
        params.initUniform(decBias, decoder.patch(), random);
        this.up = backend.zeros(maxBatch, decoder.inSize());
        this.recon = backend.zeros(maxBatch, in.size());
        this.reconDeriv = backend.zeros(maxBatch, in.size());
        this.dRecon = backend.zeros(maxBatch, in.size());
        this.dUp = backend.zeros(maxBatch, decoder.inSize());
        this.dLatent = backend.zeros(maxBatch, spec.hidden());
        this.losses = new LossMeter(backend, 2);
        this.latentImage = spec.latentImage();
        this.kept = spec.lifetime() > 0f ? backend.zeros(maxBatch, spec.hidden()) : null;
    }

    @Override
    public CellSpec spec() {
        return spec;
    }

    /** The pooled feature maps (with their own buffers, so a training step's results stay intact). */
    @Override
    public Tensor encode(Tensor x) {
        return inference.forward(x);
    }

    @Override
    public void trainStep(Tensor x) {
        int n = x.rows();
        ImageShape lat = latentImage;
        Tensor latent = encoder.forwardTrain(x);
        Tensor mask = kept == null ? null : kept.firstRows(n);
        if (mask != null) {
            backend.fill(mask, 1f);
            backend.keepTopKPerColumn(latent, mask, spec.lifetimeWinners(n));
        }
        Tensor u = up.firstRows(n);
        backend.upsample2dForward(latent, lat.channels(), lat.height(), lat.width(), spec.pool(), u);
        Tensor r = recon.firstRows(n);
        Tensor rd = reconDeriv.firstRows(n);
        backend.conv2dForward(u, decoder, params.param(decWeight), params.param(decBias), spec.decoderActivation(),
                r, rd);
        Tensor dz = dRecon.firstRows(n);
        backend.mseLoss(r, x, rd, dz, losses.sums(), 0);
        Tensor du = dUp.firstRows(n);
        backend.conv2dBackward(u, decoder, params.param(decWeight), dz, params.grad(decWeight), params.grad(decBias),
                du);
        Tensor dl = dLatent.firstRows(n);
        backend.upsample2dBackward(du, lat.channels(), lat.height(), lat.width(), spec.pool(), dl);
        if (mask != null) {
            backend.mulMask(dl, mask, dl); // dropped values pass no gradient
        }
        encoder.backward(x, dl, null);
        params.step();
        losses.count(n);
    }

    /**
     * The decoder's reconstruction of {@code x} (inference; for plots), from the code as in training (lifetime
     * sparse over the rows of {@code x}). Valid until the next call.
     */
    @Override
    public Tensor reconstruct(Tensor x) {
        int n = x.rows();
        ImageShape lat = latentImage;
        Tensor code = encode(x);
        if (kept != null) {
            backend.fill(kept.firstRows(n), 1f);
            backend.keepTopKPerColumn(code, kept.firstRows(n), spec.lifetimeWinners(n));
        }
        Tensor u = up.firstRows(n);
        backend.upsample2dForward(code, lat.channels(), lat.height(), lat.width(), spec.pool(), u);
        Tensor r = recon.firstRows(n);
        backend.conv2dForward(u, decoder, params.param(decWeight), params.param(decBias), spec.decoderActivation(),
                r, null);
        return r;
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
