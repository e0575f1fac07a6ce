package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;

import java.util.LinkedHashMap;
import java.util.List;
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
 * @param channels          image channels of the input (1 for gray images, 3 for CIFAR-10), for convolutional cells
 * @param cellList          the cells one by one ({@code --cells cae:32,cae:64,ae:500}); empty for {@code cells}
 *                          identical cells of {@code hidden} units of the model's kind
 * @param shift             training augmentation: each training image is translated by a random whole number of
 *                          pixels in [-shift, shift] in each direction (zero fill); 0 for none. Test data is never
 *                          shifted.
 */
public record ModelSpec(ModelKind kind, int inputSize, int classes, int cells, int hidden, Activation activation,
                        int topK, int latentTopK, boolean layerNorm, Activation decoderActivation, Noise noise, float l1,
                        float lifetime, int headHidden, HeadInput headInput, Schedule schedule, AdamW optimizer,
                        LrSchedule lrSchedule, int batch, long seed, int channels, List<CellDef> cellList,
                        int shift) {

    /** A model of {@code cells} identical cells (or layers) of {@code hidden} units on single-channel input. */
    public ModelSpec(ModelKind kind, int inputSize, int classes, int cells, int hidden, Activation activation,
                     int topK, int latentTopK, boolean layerNorm, Activation decoderActivation, Noise noise, float l1,
                     float lifetime, int headHidden, HeadInput headInput, Schedule schedule, AdamW optimizer,
                     LrSchedule lrSchedule, int batch, long seed) {
        this(kind, inputSize, classes, cells, hidden, activation, topK, latentTopK, layerNorm, decoderActivation, noise,
                l1, lifetime, headHidden, headInput, schedule, optimizer, lrSchedule, batch, seed, 1, List.of());
    }

    /** A model trained without augmentation. */
    public ModelSpec(ModelKind kind, int inputSize, int classes, int cells, int hidden, Activation activation,
                     int topK, int latentTopK, boolean layerNorm, Activation decoderActivation, Noise noise, float l1,
                     float lifetime, int headHidden, HeadInput headInput, Schedule schedule, AdamW optimizer,
                     LrSchedule lrSchedule, int batch, long seed, int channels, List<CellDef> cellList) {
        this(kind, inputSize, classes, cells, hidden, activation, topK, latentTopK, layerNorm, decoderActivation, noise,
                l1, lifetime, headHidden, headInput, schedule, optimizer, lrSchedule, batch, seed, channels, cellList,
                0);
    }

    public ModelSpec {
        cellList = List.copyOf(cellList);
        if (channels < 1 || inputSize % channels != 0) {
            throw new IllegalArgumentException("input of " + inputSize + " values cannot have " + channels
                    + " channels");
        }
        if (shift != 0) {
            ImageShape image = ImageShape.square(inputSize, channels);
            if (image == null || shift < 0 || shift >= image.width()) {
                throw new IllegalArgumentException("shift must be in [0, image width) and needs square images, got "
                        + shift + " for " + (image == null ? inputSize + " values" : image.toString()));
            }
        }
        if (!cellList.isEmpty() && cellList.size() != cells) {
            throw new IllegalArgumentException("a cell list of " + cellList.size() + " cells for " + cells + " cells");
        }
        if (!cellList.isEmpty() && (kind == ModelKind.BP || kind == ModelKind.FF)) {
            throw new IllegalArgumentException("a cell list applies to UFF models and bp-cnn, not " + kind.id());
        }
        if ((kind == ModelKind.CAE || kind == ModelKind.BP_CNN) && cellList.isEmpty()) {
            throw new IllegalArgumentException(kind.id() + " needs a list of cells, e.g. cae:32,cae:64");
        }
        if (kind == ModelKind.BP_CNN && cellList.stream().anyMatch(c -> c.kind() != CellKind.CAE)) {
            throw new IllegalArgumentException("bp-cnn's encoder is a list of cae cells, got "
                    + CellDef.format(cellList));
        }
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
        boolean denoising = kind == ModelKind.DAE || cellList.stream().anyMatch(c -> c.kind() == CellKind.DAE);
        if (!denoising && !noise.isNone()) {
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
        if (cellList.isEmpty()) {
            CellKind cellKind = switch (kind) {
                case DAE -> CellKind.DAE;
                case GAN -> CellKind.GAN;
                default -> CellKind.AE;
            };
            return new CellSpec(cellKind, index == 0 ? inputSize : hidden,
                    hidden, trainEpilogue(), latentEpilogue(), index == 0 ? decoderActivation : Activation.IDENTITY,
                    noise, l1, lifetime);
        }
        // walk the list: a cae cell halves the image and passes on feature maps; a dense cell flattens
        ImageShape image = ImageShape.square(inputSize, channels);
        int input = inputSize;
        for (int i = 0; ; i++) {
            CellDef def = cellList.get(i);
            CellSpec spec;
            Activation decoder = i == 0 ? decoderActivation : Activation.IDENTITY;
            if (def.kind() == CellKind.CAE) {
                if (image == null || image.height() % 2 != 0 || image.width() % 2 != 0) {
                    throw new IllegalArgumentException("cell " + (i + 1) + " (cae) needs an even-sized image as input, "
                            + "but gets " + (image == null ? input + " flat values" : image.toString()));
                }
                int latent = def.width() * (image.height() / 2) * (image.width() / 2);
                spec = new CellSpec(CellKind.CAE, input, latent, Epilogue.of(activation), Epilogue.of(activation),
                        decoder, Noise.NONE, 0f, kind == ModelKind.BP_CNN ? 0f : lifetime, image);
                image = spec.latentImage();
            } else {
                spec = new CellSpec(def.kind(), input, def.width(), trainEpilogue(), latentEpilogue(), decoder,
                        def.kind() == CellKind.DAE ? noise : Noise.NONE, def.kind() == CellKind.GAN ? 0f : l1,
                        def.kind() == CellKind.GAN ? 0f : lifetime);
                image = null;
            }
            if (i == index) {
                return spec;
            }
            input = spec.hidden();
        }
    }

    /** This spec with another head and schedule (used for probes and baselines). */
    public ModelSpec withHead(int newHeadHidden, HeadInput newHeadInput, Schedule newSchedule) {
        return new ModelSpec(kind, inputSize, classes, cells, hidden, activation, topK, latentTopK, layerNorm,
                decoderActivation, noise, l1, lifetime, newHeadHidden, newHeadInput, newSchedule, optimizer, lrSchedule,
                batch, seed, channels, cellList, shift);
    }

    /** Width of cell {@code index}'s latent (of layer {@code index} for bp and ff). */
    public int latentSize(int index) {
        return cellList.isEmpty() ? hidden : cell(index).hidden();
    }

    /** Width of the head's input. */
    public int headInputSize() {
        if (headInput != HeadInput.ALL) {
            return latentSize(cells - 1);
        }
        int total = 0;
        for (int i = 0; i < cells; i++) {
            total += latentSize(i);
        }
        return total;
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
        c.put("channels", Integer.toString(channels));
        c.put("cell_list", CellDef.format(cellList));
        c.put("shift", Integer.toString(shift));
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
                LrSchedule.parse(in.get("lr_schedule")), in.integer("batch"), Long.parseLong(in.get("seed")),
                c.containsKey("channels") ? in.integer("channels") : 1, // absent in files of uff4j 0.1.0
                c.getOrDefault("cell_list", "").isEmpty() ? List.of() : CellDef.parseList(c.get("cell_list")),
                c.containsKey("shift") ? in.integer("shift") : 0); // absent in files of uff4j 0.1.0
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
