package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that defines a model's architecture and training rule. It is stored in checkpoints as ordered
 * key/value pairs ({@link #toConfig}) so a saved model can be rebuilt exactly ({@link #fromConfig}).
 *
 * @param kind              ae, dae, gan (UFF cells), bp (back-propagation baseline) or ff (Forward-Forward)
 * @param inputSize         features per sample (784 for 28x28 images, 3072 for CIFAR-10)
 * @param classes           number of classes
 * @param cells             number of cells (encoder layers for bp)
 * @param hidden            latent width of every cell
 * @param activation        encoder activation
 * @param topK              top-k sparsity while a cell trains (0 = off)
 * @param latentTopK        top-k sparsity of the latent a cell passes on (0 = off: the dense activation)
 * @param layerNorm         whether the latent passed on is layer-normalised
 * @param decoderActivation activation of the first cell's reconstruction (of the input; sigmoid suits pixels in
 *                          [0, 1]); later cells reconstruct latents, which are unbounded, with the identity
 * @param noise             DAE corruption
 * @param l1                L1 penalty on each latent (0 = off)
 * @param lifetime          lifetime sparsity while training (0 = off; see {@link CellSpec})
 * @param headHidden        0 for a linear head, else the width of its one ReLU hidden layer
 * @param headInput         which latents the head reads
 * @param schedule          pipelined or greedy
 * @param optimizer         AdamW hyper-parameters of every cell and of the head
 * @param lrSchedule        how the learning rate decays over a training stage
 * @param batch             mini-batch size
 * @param seed              seed of every random choice (weights, shuffling, noise)
 */
public record ModelSpec(ModelKind kind, int inputSize, int classes, int cells, int hidden, Activation activation,
                        int topK, int latentTopK, boolean layerNorm, Activation decoderActivation, Noise noise, float l1, float lifetime, int headHidden, HeadInput headInput,
                        Schedule schedule, AdamW optimizer, LrSchedule lrSchedule, int batch, long seed) {

    public ModelSpec {
        if (inputSize < 1 || classes < 2) {
            throw new IllegalArgumentException("need input size >= 1 and classes >= 2, got " + inputSize + ", "
                    + classes);
        }
        if (cells < 1 || cells > 64) {
            throw new IllegalArgumentException("cells must be in [1, 64], got " + cells);
        }
        if (hidden < 1 || hidden > 1 << 16) {
            throw new IllegalArgumentException("hidden must be in [1, 65536], got " + hidden);
        }
        if (topK < 0 || topK > hidden) {
            throw new IllegalArgumentException("top-k " + topK + " exceeds the hidden width " + hidden
                    + " (or is negative)");
        }
        if (latentTopK < 0 || latentTopK > hidden) {
            throw new IllegalArgumentException("latent top-k " + latentTopK + " exceeds the hidden width " + hidden
                    + " (or is negative)");
        }
        if (headHidden < 0) {
            throw new IllegalArgumentException("head hidden must be >= 0, got " + headHidden);
        }
        if (batch < 1 || batch > 1 << 16) {
            throw new IllegalArgumentException("batch must be in [1, 65536], got " + batch);
        }
        if (!(lifetime >= 0f && lifetime <= 1f)) {
            throw new IllegalArgumentException("lifetime sparsity must be in [0, 1], got " + lifetime);
        }
        if (kind != ModelKind.DAE && !noise.isNone()) {
            throw new IllegalArgumentException("input noise applies to dae cells only");
        }
        if (kind == ModelKind.FF && (topK != 0 || latentTopK != 0 || lifetime != 0f || l1 != 0f || headHidden != 0)) {
            throw new IllegalArgumentException("top-k, lifetime sparsity, l1 and a head do not apply to ff (got top-k "
                    + topK + ", latent top-k " + latentTopK + ", lifetime " + lifetime + ", l1 " + l1
                    + ", head hidden " + headHidden + ")");
        }
        if (kind == ModelKind.GAN && (lifetime != 0f || l1 != 0f)) {
            throw new IllegalArgumentException("lifetime sparsity and l1 do not apply to gan cells (got lifetime "
                    + lifetime + ", l1 " + l1 + ")");
        }
        if (kind == ModelKind.FF && classes > inputSize) {
            throw new IllegalArgumentException("ff writes the label into the first " + classes
                    + " inputs, but there are only " + inputSize);
        }
    }

    /** The encoder's epilogue while a cell trains: the activation and the training sparsity. */
    public Epilogue trainEpilogue() {
        return new Epilogue(activation, topK, false);
    }

    /** The epilogue of what a cell passes on (and of every BP layer): latent sparsity and normalisation. */
    public Epilogue latentEpilogue() {
        return new Epilogue(activation, latentTopK, layerNorm);
    }

    /** The spec of cell {@code index} (0-based). */
    public CellSpec cell(int index) {
        CellKind cellKind = switch (kind) {
            case DAE -> CellKind.DAE;
            case GAN -> CellKind.GAN;
            default -> CellKind.AE;
        };
        return new CellSpec(cellKind, index == 0 ? inputSize : hidden,
                hidden, trainEpilogue(), latentEpilogue(), index == 0 ? decoderActivation : Activation.IDENTITY,
                noise, l1, lifetime);
    }

    /** This spec with another head and schedule (used for probes and baselines). */
    public ModelSpec withHead(int newHeadHidden, HeadInput newHeadInput, Schedule newSchedule) {
        return new ModelSpec(kind, inputSize, classes, cells, hidden, activation, topK, latentTopK, layerNorm,
                decoderActivation, noise, l1, lifetime, newHeadHidden, newHeadInput, newSchedule, optimizer, lrSchedule, batch, seed);
    }

    /** Width of the head's input. */
    public int headInputSize() {
        return headInput == HeadInput.ALL ? cells * hidden : hidden;
    }

    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("model", kind.id());
        c.put("input_size", Integer.toString(inputSize));
        c.put("classes", Integer.toString(classes));
        c.put("cells", Integer.toString(cells));
        c.put("hidden", Integer.toString(hidden));
        c.put("activation", activation.name().toLowerCase(java.util.Locale.ROOT));
        c.put("top_k", Integer.toString(topK));
        c.put("latent_top_k", Integer.toString(latentTopK));
        c.put("layer_norm", Boolean.toString(layerNorm));
        c.put("decoder_activation", decoderActivation.name().toLowerCase(java.util.Locale.ROOT));
        c.put("noise_std", Float.toString(noise.gaussianStd()));
        c.put("mask_prob", Float.toString(noise.maskProb()));
        c.put("l1", Float.toString(l1));
        c.put("lifetime_sparsity", Float.toString(lifetime));
        c.put("head_hidden", Integer.toString(headHidden));
        c.put("head_input", headInput.id());
        c.put("schedule", schedule.id());
        c.put("lr", Double.toString(optimizer.lr()));
        c.put("beta1", Double.toString(optimizer.beta1()));
        c.put("beta2", Double.toString(optimizer.beta2()));
        c.put("eps", Double.toString(optimizer.eps()));
        c.put("weight_decay", Double.toString(optimizer.weightDecay()));
        c.put("lr_schedule", lrSchedule.id());
        c.put("batch", Integer.toString(batch));
        c.put("seed", Long.toString(seed));
        return c;
    }

    /** Rebuilds a spec from {@link #toConfig}; a missing or malformed key is an error naming it. */
    public static ModelSpec fromConfig(Map<String, String> c) {
        Config in = new Config(c);
        return new ModelSpec(ModelKind.parse(in.get("model")), in.integer("input_size"), in.integer("classes"),
                in.integer("cells"), in.integer("hidden"), Activation.parse(in.get("activation")),
                in.integer("top_k"), in.integer("latent_top_k"), in.bool("layer_norm"),
                Activation.parse(in.get("decoder_activation")),
                new Noise(in.real("noise_std"), in.real("mask_prob")), in.real("l1"), in.real("lifetime_sparsity"), in.integer("head_hidden"),
                HeadInput.parse(in.get("head_input")), Schedule.parse(in.get("schedule")),
                new AdamW(in.real64("lr"), in.real64("beta1"), in.real64("beta2"), in.real64("eps"),
                        in.real64("weight_decay")),
                LrSchedule.parse(in.get("lr_schedule")), in.integer("batch"), Long.parseLong(in.get("seed")));
    }

    private record Config(Map<String, String> map) {
        String get(String key) {
            String v = map.get(key);
            if (v == null) {
                throw new IllegalArgumentException("model configuration lacks key '" + key + "'");
            }
            return v;
        }

        int integer(String key) {
            try {
                return Integer.parseInt(get(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("model configuration key '" + key + "' is not an integer: "
                        + get(key));
            }
        }

        float real(String key) {
            try {
                return Float.parseFloat(get(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("model configuration key '" + key + "' is not a number: "
                        + get(key));
            }
        }

        double real64(String key) {
            try {
                return Double.parseDouble(get(key));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("model configuration key '" + key + "' is not a number: "
                        + get(key));
            }
        }

        boolean bool(String key) {
            String v = get(key);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException("model configuration key '" + key + "' is not true/false: " + v);
            }
            return Boolean.parseBoolean(v);
        }
    }
}
