package dev.uff4j.model;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines a model's architecture and training rule, in four parts: its {@link Cells} (or layers),
 * its {@link Head}, its {@link Optimization} and its {@link Augmentation}. Build one with {@link ModelSpecBuilder},
 * which holds uff4j's defaults. It is stored in checkpoints as ordered key/value pairs ({@link #toConfig}) so a
 * saved model can be rebuilt exactly ({@link #fromConfig}).
 *
 * @param kind         ae, dae, gan, cae (UFF cells), bp, bp-cnn (back-propagation baselines) or ff
 *                     (Forward-Forward)
 * @param inputSize    features per sample (784 for 28x28 images, 3072 for CIFAR-10)
 * @param channels     image channels of the input (1 for gray images, 3 for CIFAR-10), for convolutional cells
 * @param classes      number of classes
 * @param cells        the cells (encoder layers for bp and bp-cnn, layers for ff)
 * @param head         the classifier on the cells' latents
 * @param optimization how every part is optimised
 * @param augmentation what training images go through
 * @param seed         seed of every random choice (weights, shuffling, noise)
 */
public record ModelSpec(ModelKind kind, int inputSize, int channels, int classes, Cells cells, Head head,
                        Optimization optimization, Augmentation augmentation, long seed) {

    /**
     * The cells: how many, how wide, and how each trains.
     *
     * @param count             number of cells (encoder layers for bp)
     * @param hidden            latent width of every cell (of a list's dense cells: their own width)
     * @param activation        encoder activation
     * @param topK              top-k sparsity while a cell trains (0 = off)
     * @param latentTopK        top-k sparsity of the latent a cell passes on (0 = off: the dense activation)
     * @param layerNorm         whether the latent passed on is layer-normalised
     * @param decoderActivation activation of the first cell's reconstruction (of the input; sigmoid suits pixels
     *                          in [0, 1]); later cells reconstruct latents, which are unbounded, with the identity
     * @param noise             DAE corruption
     * @param l1                L1 penalty on each latent (0 = off)
     * @param lifetime          lifetime sparsity while training (0 = off; see {@link CellSpec})
     * @param list              the cells one by one ({@code --cells cae:32,cae:64,ae:500}); empty for {@code count}
     *                          identical cells of {@code hidden} units of the model's kind
     */
    public record Cells(int count, int hidden, Activation activation, int topK, int latentTopK, boolean layerNorm,
                        Activation decoderActivation, Noise noise, float l1, float lifetime, List<CellDef> list) {
        /**
         * Checks the ranges; what depends on the model kind is checked by {@link ModelSpec}'s constructor.
         *
         * @param count             number of cells, in [1, 64]
         * @param hidden            latent width, in [1, 65536]
         * @param activation        encoder activation
         * @param topK              training top-k, in [0, hidden]
         * @param latentTopK        latent top-k, in [0, hidden]
         * @param layerNorm         whether the latent is layer-normalised
         * @param decoderActivation activation of the first cell's reconstruction
         * @param noise             DAE corruption ({@link Noise#NONE} for none)
         * @param l1                L1 penalty weight
         * @param lifetime          lifetime sparsity, in [0, 1]
         * @param list              the cells one by one, empty or of {@code count} entries; copied
         * @throws IllegalArgumentException if a value is out of its range or the list has another length than
         *                                  {@code count}
         * @throws NullPointerException     if an activation, the noise or the list is null
         */
        public Cells {
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(decoderActivation, "decoderActivation");
            Objects.requireNonNull(noise, "noise");
            list = List.copyOf(list);
            if (!list.isEmpty() && list.size() != count) {
                throw new IllegalArgumentException("a cell list of " + list.size() + " cells for " + count + " cells");
            }
            if (count < 1 || count > 64) {
                throw new IllegalArgumentException("cells must be in [1, 64], got " + count);
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
            if (!(lifetime >= 0f && lifetime <= 1f)) {
                throw new IllegalArgumentException("lifetime sparsity must be in [0, 1], got " + lifetime);
            }
        }

        /**
         * The encoder's epilogue while a cell trains: the activation and the training sparsity.
         *
         * @return {@code activation} with {@code topK}, without layer norm
         */
        public Epilogue trainEpilogue() {
            return new Epilogue(activation, topK, false);
        }

        /**
         * The epilogue of what a cell passes on (and of every BP layer): latent sparsity and normalisation.
         *
         * @return {@code activation} with {@code latentTopK} and {@code layerNorm}
         */
        public Epilogue latentEpilogue() {
            return new Epilogue(activation, latentTopK, layerNorm);
        }

        /** Whether some cell is a denoising autoencoder, for a model of {@code kind}. */
        boolean denoising(ModelKind kind) {
            return kind == ModelKind.DAE || list.stream().anyMatch(c -> c.kind() == CellKind.DAE);
        }
    }

    /**
     * The classifier head.
     *
     * @param hidden 0 for a linear head, else the width of its one ReLU hidden layer
     * @param input  which latents the head reads
     */
    public record Head(int hidden, HeadInput input) {
        /**
         * Checks the head.
         *
         * @param hidden 0 for a linear head, else the hidden width
         * @param input  which latents the head reads
         * @throws IllegalArgumentException if {@code hidden} is negative
         * @throws NullPointerException     if {@code input} is null
         */
        public Head {
            Objects.requireNonNull(input, "input");
            if (hidden < 0) {
                throw new IllegalArgumentException("head hidden must be >= 0, got " + hidden);
            }
        }
    }

    /**
     * How every part is optimised.
     *
     * @param optimizer  AdamW hyper-parameters of every cell and of the head
     * @param lrSchedule how the learning rate decays over a training stage
     * @param schedule   pipelined or greedy
     * @param batch      mini-batch size
     */
    public record Optimization(AdamW optimizer, LrSchedule lrSchedule, Schedule schedule, int batch) {
        /**
         * Checks the optimisation.
         *
         * @param optimizer  AdamW hyper-parameters
         * @param lrSchedule learning-rate decay
         * @param schedule   pipelined or greedy
         * @param batch      mini-batch size, in [1, 65536]
         * @throws IllegalArgumentException if {@code batch} is out of range
         * @throws NullPointerException     if another argument is null
         */
        public Optimization {
            Objects.requireNonNull(optimizer, "optimizer");
            Objects.requireNonNull(lrSchedule, "lrSchedule");
            Objects.requireNonNull(schedule, "schedule");
            if (batch < 1 || batch > 1 << 16) {
                throw new IllegalArgumentException("batch must be in [1, 65536], got " + batch);
            }
        }

        /**
         * This optimisation with another schedule.
         *
         * @param other the schedule
         * @return a new {@code Optimization}, equal in everything else
         * @throws NullPointerException if {@code other} is null
         */
        public Optimization withSchedule(Schedule other) {
            return new Optimization(optimizer, lrSchedule, other, batch);
        }

        /**
         * This optimisation with another learning-rate schedule.
         *
         * @param other the learning-rate schedule
         * @return a new {@code Optimization}, equal in everything else
         */
        public Optimization withLrSchedule(LrSchedule other) {
            return new Optimization(optimizer, other, schedule, batch);
        }
    }

    /**
     * What training images go through; test data never does.
     *
     * @param shift  each training image is translated by a random whole number of pixels in [-shift, shift] in each
     *               direction (zero fill); 0 for none
     * @param mirror each training image is mirrored left to right with probability 1/2 (before the shift), as suits
     *               photographs of objects with a left-right symmetry (Fashion-MNIST, CIFAR-10) but not digits
     */
    public record Augmentation(int shift, boolean mirror) {
        /** No augmentation: training images are used as they are. */
        public static final Augmentation NONE = new Augmentation(0, false);

        /**
         * Checks the augmentation; whether it suits the images is checked by {@link ModelSpec}'s constructor.
         *
         * @param shift  largest translation in pixels, at least 0
         * @param mirror whether images are mirrored at random
         * @throws IllegalArgumentException if {@code shift} is negative
         */
        public Augmentation {
            if (shift < 0) {
                throw new IllegalArgumentException("shift must be >= 0, got " + shift);
            }
        }

        /**
         * A shift alone, without the mirror.
         *
         * @param shift largest translation in pixels, at least 0
         * @throws IllegalArgumentException if {@code shift} is negative
         */
        public Augmentation(int shift) {
            this(shift, false);
        }
    }

    /**
     * Checks that the parts fit together and apply to the kind.
     *
     * @param kind         the model kind
     * @param inputSize    features per sample, at least 1
     * @param channels     image channels, at least 1 and a divisor of {@code inputSize}
     * @param classes      number of classes, at least 2 (for ff at most {@code inputSize})
     * @param cells        the cells: a list only for UFF kinds and bp-cnn (required for cae and bp-cnn, all cae for
     *                     bp-cnn); noise only with dae cells
     * @param head         the head: for ff linear
     * @param optimization the optimisation
     * @param augmentation the augmentation: a shift or mirror needs square images, and a shift must be below their
     *                     width
     * @param seed         the seed
     * @throws IllegalArgumentException if one of these conditions fails, or if top-k, lifetime sparsity or l1 is set
     *                                  for ff, or lifetime sparsity or l1 for gan
     * @throws NullPointerException     if a part is null
     */
    public ModelSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cells, "cells");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(optimization, "optimization");
        Objects.requireNonNull(augmentation, "augmentation");
        if (channels < 1 || inputSize % channels != 0) {
            throw new IllegalArgumentException("input of " + inputSize + " values cannot have " + channels
                    + " channels");
        }
        if (augmentation.shift() != 0 || augmentation.mirror()) {
            ImageShape image = ImageShape.square(inputSize, channels);
            if (image == null || augmentation.shift() >= image.width()) {
                throw new IllegalArgumentException("shift must be in [0, image width) and a shift or mirror needs "
                        + "square images, got shift " + augmentation.shift() + (augmentation.mirror() ? " and mirror"
                        : "") + " for " + (image == null ? inputSize + " values" : image.toString()));
            }
        }
        List<CellDef> list = cells.list();
        if (!list.isEmpty() && (kind == ModelKind.BP || kind == ModelKind.FF)) {
            throw new IllegalArgumentException("a cell list applies to UFF models and bp-cnn, not " + kind.id());
        }
        if ((kind == ModelKind.CAE || kind == ModelKind.BP_CNN) && list.isEmpty()) {
            throw new IllegalArgumentException(kind.id() + " needs a list of cells, e.g. cae:32,cae:64");
        }
        if (kind == ModelKind.BP_CNN && list.stream().anyMatch(c -> c.kind() != CellKind.CAE)) {
            throw new IllegalArgumentException("bp-cnn's encoder is a list of cae cells, got " + CellDef.format(list));
        }
        if (inputSize < 1 || classes < 2) {
            throw new IllegalArgumentException("need input size >= 1 and classes >= 2, got " + inputSize + ", "
                    + classes);
        }
        if (optimization.schedule() == Schedule.PARALLEL && !kind.isUff()) {
            throw new IllegalArgumentException("the parallel schedule trains the cells of a UFF model (ae, dae, gan, "
                    + "cae) in threads of their own; " + kind.id() + " trains as a whole");
        }
        if (!cells.denoising(kind) && !cells.noise().isNone()) {
            throw new IllegalArgumentException("input noise applies to dae cells only");
        }
        if (kind == ModelKind.FF && (cells.topK() != 0 || cells.latentTopK() != 0 || cells.lifetime() != 0f
                || cells.l1() != 0f || head.hidden() != 0)) {
            throw new IllegalArgumentException("top-k, lifetime sparsity, l1 and a head do not apply to ff (got top-k "
                    + cells.topK() + ", latent top-k " + cells.latentTopK() + ", lifetime " + cells.lifetime()
                    + ", l1 " + cells.l1() + ", head hidden " + head.hidden() + ")");
        }
        if (kind == ModelKind.GAN && (cells.lifetime() != 0f || cells.l1() != 0f)) {
            throw new IllegalArgumentException("lifetime sparsity and l1 do not apply to gan cells (got lifetime "
                    + cells.lifetime() + ", l1 " + cells.l1() + ")");
        }
        if (kind == ModelKind.FF && classes > inputSize) {
            throw new IllegalArgumentException("ff writes the label into the first " + classes
                    + " inputs, but there are only " + inputSize);
        }
    }

    /**
     * The spec of cell {@code index} (0-based). With a cell list, walks the list up to {@code index}: a cae cell
     * halves an even-sized image (keeps an odd-sized one: {@link CellSpec#pool}) and passes its feature maps on, a
     * dense cell takes the flattened latent below; only the first cell reconstructs with {@code decoderActivation}, later ones with the identity.
     *
     * @param index the cell, in {@code [0, cells().count())}
     * @return a new spec of the cell's kind, sizes and training rule
     * @throws IllegalArgumentException  if a cae cell up to {@code index} gets flat values rather than an image, or the
     *                                   cell's fields do not fit together
     * @throws IndexOutOfBoundsException if {@code index} is outside the cell list (without a list, every index gets
     *                                   a spec of the uniform cells)
     */
    public CellSpec cell(int index) {
        Activation decoder = index == 0 ? cells.decoderActivation() : Activation.IDENTITY;
        if (cells.list().isEmpty()) {
            CellKind cellKind = switch (kind) {
                case DAE -> CellKind.DAE;
                case GAN -> CellKind.GAN;
                default -> CellKind.AE;
            };
            return new CellSpec(cellKind, index == 0 ? inputSize : cells.hidden(), cells.hidden(),
                    cells.trainEpilogue(), cells.latentEpilogue(), decoder, cells.noise(), cells.l1(),
                    cells.lifetime());
        }
        // walk the list: a cae cell pools the image and passes on feature maps; a dense cell flattens
        ImageShape image = ImageShape.square(inputSize, channels);
        int input = inputSize;
        for (int i = 0; ; i++) {
            CellDef def = cells.list().get(i);
            CellSpec spec;
            Activation reconstruction = i == 0 ? cells.decoderActivation() : Activation.IDENTITY;
            if (def.kind() == CellKind.CAE) {
                if (image == null) {
                    throw new IllegalArgumentException("cell " + (i + 1) + " (cae) needs an image as input, but gets "
                            + input + " flat values (cae cells come first)");
                }
                int pool = CellSpec.pool(image);
                int latent = def.width() * (image.height() / pool) * (image.width() / pool);
                Epilogue act = Epilogue.of(cells.activation());
                spec = new CellSpec(CellKind.CAE, input, latent, act, act, reconstruction, Noise.NONE, 0f,
                        kind == ModelKind.BP_CNN ? 0f : cells.lifetime(), image);
                image = spec.latentImage();
            } else {
                boolean gan = def.kind() == CellKind.GAN;
                spec = new CellSpec(def.kind(), input, def.width(), cells.trainEpilogue(), cells.latentEpilogue(),
                        reconstruction, def.kind() == CellKind.DAE ? cells.noise() : Noise.NONE, gan ? 0f : cells.l1(),
                        gan ? 0f : cells.lifetime());
                image = null;
            }
            if (i == index) {
                return spec;
            }
            input = spec.hidden();
        }
    }

    /**
     * This spec with another head.
     *
     * @param other the head
     * @return a new spec, checked as any
     * @throws IllegalArgumentException if the head does not apply to the kind (a hidden layer for ff)
     */
    public ModelSpec withHead(Head other) {
        return new ModelSpec(kind, inputSize, channels, classes, cells, other, optimization, augmentation, seed);
    }

    /**
     * This spec optimised otherwise.
     *
     * @param other the optimisation
     * @return a new spec, checked as any
     */
    public ModelSpec withOptimization(Optimization other) {
        return new ModelSpec(kind, inputSize, channels, classes, cells, head, other, augmentation, seed);
    }

    /**
     * This spec with another seed: the same model, drawn and shuffled differently (a federated client's round, say).
     *
     * @param other the seed
     * @return a copy with {@code seed = other}
     */
    public ModelSpec withSeed(long other) {
        return new ModelSpec(kind, inputSize, channels, classes, cells, head, optimization, augmentation, other);
    }

    /**
     * Width of cell {@code index}'s latent (of layer {@code index} for bp and ff).
     *
     * @param index the cell, in {@code [0, cells().count())}
     * @return values per row of the latent: {@code cells().hidden()} without a cell list, else from {@link #cell}
     *         (for a cae cell, its feature maps times their size)
     * @throws IllegalArgumentException as {@link #cell} does
     */
    public int latentSize(int index) {
        return cells.list().isEmpty() ? cells.hidden() : cell(index).hidden();
    }

    /**
     * Checks that a batch fits this spec's buffers: 1 to {@code batch} rows of {@code inputSize} values. Models
     * call it first in every step and inference call, so that too large a batch is named as such (and not as a
     * view that does not fit some internal buffer).
     *
     * @param op what was called, e.g. {@code "logits"}
     * @param x  the batch
     * @throws IllegalArgumentException if the batch does not fit
     */
    public void checkBatch(String op, Tensor x) {
        if (x == null) {
            throw new NullPointerException(op + ": the batch is null");
        }
        int batch = optimization.batch();
        if (x.rows() < 1 || x.rows() > batch || x.cols() != inputSize) {
            throw new IllegalArgumentException(op + ": a batch of " + x.rows() + " x " + x.cols() + " does not fit "
                    + "this model, which takes 1 to " + batch + " rows (the spec's batch) of " + inputSize
                    + " values; split larger inputs (dev.uff4j.Predictor does)");
        }
    }

    /**
     * Width of the head's input.
     *
     * @return the sum of every cell's {@link #latentSize} when the head reads all latents, else the last cell's
     */
    public int headInputSize() {
        if (head.input() != HeadInput.ALL) {
            return latentSize(cells.count() - 1);
        }
        int total = 0;
        for (int i = 0; i < cells.count(); i++) {
            total += latentSize(i);
        }
        return total;
    }

    /**
     * The spec as the ordered key/value pairs that checkpoints and reports store: {@code model}, {@code input_size},
     * {@code classes}, the cells' fields, the head's, the optimizer's, {@code seed}, {@code channels},
     * {@code cell_list}, {@code shift} and {@code mirror}, every value a string.
     *
     * @return a new mutable map in that order, from which {@link #fromConfig} rebuilds an equal spec
     */
    public Map<String, String> toConfig() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("model", kind.id());
        c.put("input_size", Integer.toString(inputSize));
        c.put("classes", Integer.toString(classes));
        c.put("cells", Integer.toString(cells.count()));
        c.put("hidden", Integer.toString(cells.hidden()));
        c.put("activation", cells.activation().name().toLowerCase(Locale.ROOT));
        c.put("top_k", Integer.toString(cells.topK()));
        c.put("latent_top_k", Integer.toString(cells.latentTopK()));
        c.put("layer_norm", Boolean.toString(cells.layerNorm()));
        c.put("decoder_activation", cells.decoderActivation().name().toLowerCase(Locale.ROOT));
        c.put("noise_std", Float.toString(cells.noise().gaussianStd()));
        c.put("mask_prob", Float.toString(cells.noise().maskProb()));
        c.put("l1", Float.toString(cells.l1()));
        c.put("lifetime_sparsity", Float.toString(cells.lifetime()));
        c.put("head_hidden", Integer.toString(head.hidden()));
        c.put("head_input", head.input().id());
        c.put("schedule", optimization.schedule().id());
        AdamW o = optimization.optimizer();
        c.put("lr", Double.toString(o.lr()));
        c.put("beta1", Double.toString(o.beta1()));
        c.put("beta2", Double.toString(o.beta2()));
        c.put("eps", Double.toString(o.eps()));
        c.put("weight_decay", Double.toString(o.weightDecay()));
        c.put("lr_schedule", optimization.lrSchedule().id());
        c.put("batch", Integer.toString(optimization.batch()));
        c.put("seed", Long.toString(seed));
        c.put("channels", Integer.toString(channels));
        c.put("cell_list", CellDef.format(cells.list()));
        c.put("shift", Integer.toString(augmentation.shift()));
        c.put("mirror", Boolean.toString(augmentation.mirror()));
        return c;
    }

    /**
     * Rebuilds a spec from {@link #toConfig}; a missing or malformed key is an error naming it.
     *
     * @param c the pairs; other keys are ignored; {@code channels}, {@code shift} and {@code mirror}, absent from
     *          files of uff4j 0.1.0, default to 1, 0 and false, and a missing or empty {@code cell_list} means no list
     * @return the spec
     * @throws IllegalArgumentException if a key is missing or malformed, or the values do not make a valid spec
     * @throws NullPointerException     if {@code c} is null
     */
    public static ModelSpec fromConfig(Map<String, String> c) {
        Objects.requireNonNull(c, "c");
        Config in = new Config(c);
        // read in the order toConfig writes, so the first missing or malformed key is the one reported
        ModelKind kind = ModelKind.parse(in.get("model"));
        int inputSize = in.integer("input_size");
        int classes = in.integer("classes");
        Cells cells = new Cells(in.integer("cells"), in.integer("hidden"), Activation.parse(in.get("activation")),
                in.integer("top_k"), in.integer("latent_top_k"), in.bool("layer_norm"),
                Activation.parse(in.get("decoder_activation")), new Noise(in.real("noise_std"), in.real("mask_prob")),
                in.real("l1"), in.real("lifetime_sparsity"),
                c.getOrDefault("cell_list", "").isEmpty() ? List.of() : CellDef.parseList(c.get("cell_list")));
        Head head = new Head(in.integer("head_hidden"), HeadInput.parse(in.get("head_input")));
        Optimization optimization = new Optimization(
                new AdamW(in.real64("lr"), in.real64("beta1"), in.real64("beta2"), in.real64("eps"),
                        in.real64("weight_decay")),
                LrSchedule.parse(in.get("lr_schedule")), Schedule.parse(in.get("schedule")), in.integer("batch"));
        // channels, shift and mirror are absent in files of uff4j 0.1.0
        long seed = Long.parseLong(in.get("seed"));
        return new ModelSpec(kind, inputSize, c.containsKey("channels") ? in.integer("channels") : 1, classes, cells,
                head, optimization, new Augmentation(c.containsKey("shift") ? in.integer("shift") : 0,
                        c.containsKey("mirror") && in.bool("mirror")), seed);
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
