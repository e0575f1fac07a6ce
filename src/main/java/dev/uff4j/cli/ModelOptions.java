package dev.uff4j.cli;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.Noise;
import dev.uff4j.data.DatasetId;
import dev.uff4j.model.CellDef;
import dev.uff4j.model.CellKind;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Schedule;
import dev.uff4j.presets.DatasetPresets;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The options that shape a model, shared by {@code train}, {@code pipeline} and {@code federated}: each one given is
 * set on the dataset's preset builder ({@link DatasetPresets#builder}), the rest keep its defaults.
 */
final class ModelOptions {
    /** Their names, for commands that must know whether any was given. */
    static final List<String> NAMES = List.of("--model", "--cells", "--hidden", "--batch", "--shift", "--mirror",
            "--lr", "--lr-schedule", "--weight-decay", "--seed", "--top-k", "--latent-top-k", "--layer-norm",
            "--activation", "--decoder-activation", "--noise-std", "--mask-prob", "--l1", "--lifetime-sparsity",
            "--head-hidden", "--head-input", "--schedule");

    @Option(names = "--model", paramLabel = "M", defaultValue = "dae",
            description = "ae, dae, gan, cae (UFF cells), bp, bp-cnn (back-propagation baselines) or ff "
                    + "(Forward-Forward) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--cells", paramLabel = "N|LIST",
            description = "Number of cells (bp, ff: layers) of --hidden units, or a list of kind:width cells, e.g. "
                    + "cae:32,cae:64,ae:500 (cae width: feature maps; cae cells come first).")
    String cells;

    @Option(names = "--hidden", paramLabel = "H", description = "Latent width of every cell.")
    Integer hidden;

    @Option(names = "--batch", paramLabel = "B", description = "Mini-batch size.")
    Integer batch;

    @Option(names = "--shift", paramLabel = "P", description = "Augmentation: translate each training image by up "
            + "to P pixels in each direction (0: off).")
    Integer shift;

    @Option(names = "--mirror", negatable = true, description = "Augmentation: mirror each training image left to "
            + "right with probability 1/2 (for photographs such as Fashion-MNIST; not for digits).")
    Boolean mirror;

    @Option(names = "--lr", paramLabel = "LR", description = "AdamW learning rate of cells and head.")
    Double lr;

    @Option(names = "--lr-schedule", paramLabel = "S",
            description = "constant, or cosine decay to zero over each training stage.")
    String lrSchedule;

    @Option(names = "--weight-decay", paramLabel = "WD", description = "AdamW weight decay.")
    Double weightDecay;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of weights, shuffling and noise.")
    Long seed;

    @Option(names = "--top-k", paramLabel = "K",
            description = "While a cell trains, keep the K largest latent values per sample (0: off).")
    Integer topK;

    @Option(names = "--latent-top-k", paramLabel = "K",
            description = "Keep the K largest values of the latent passed on (0: all, the dense code).")
    Integer latentTopK;

    @Option(names = "--layer-norm", negatable = true, description = "Layer-normalise the latent passed on.")
    Boolean layerNorm;

    @Option(names = "--activation", paramLabel = "A", description = "Encoder activation: relu, tanh, sigmoid, identity.")
    String activation;

    @Option(names = "--decoder-activation", paramLabel = "A", description = "Reconstruction activation.")
    String decoderActivation;

    @Option(names = "--noise-std", paramLabel = "S", description = "DAE Gaussian noise standard deviation.")
    Float noiseStd;

    @Option(names = "--mask-prob", paramLabel = "P", description = "DAE masking probability.")
    Float maskProb;

    @Option(names = "--l1", paramLabel = "L", description = "L1 penalty weight on each latent.")
    Float l1;

    @Option(names = "--lifetime-sparsity", paramLabel = "P",
            description = "While a cell trains, each latent unit keeps only its largest values on this fraction of "
                    + "the batch (0: off).")
    Float lifetime;

    @Option(names = "--head-hidden", paramLabel = "H", description = "Hidden width of the head (0: linear head).")
    Integer headHidden;

    @Option(names = "--head-input", paramLabel = "I", description = "all (every cell's latent) or last.")
    String headInput;

    @Option(names = "--schedule", paramLabel = "S", description = {"pipelined, greedy, or parallel (pipelined with "
            + "a thread and a CPU backend per cell: the same model, faster on several cores)."})
    String schedule;

    /**
     * The spec these options give on {@code id}'s presets; a bad value or combination is a usage error.
     *
     * @param id the dataset
     * @return the spec
     */
    ModelSpec spec(DatasetId id) {
        return build(builder(id).seed(seed == null ? ModelSpecBuilder.SEED : seed));
    }

    ModelSpecBuilder builder(DatasetId id) {
        ModelKind kind;
        try {
            kind = ModelKind.parse(model);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        return DatasetPresets.builder(kind, id);
    }


    ModelSpec build(ModelSpecBuilder b) {
        try {
            if (cells != null) {
                if (cells.contains(":")) {
                    b.cellList(CellDef.parseList(cells));
                } else {
                    try {
                        b.cells(Integer.parseInt(cells.trim()));
                    } catch (NumberFormatException e) {
                        throw new Main.UsageException("--cells must be a number or a list like cae:32,cae:64,ae:500, "
                                + "got '" + cells + "'");
                    }
                }
            }
            if (hidden != null) {
                b.hidden(hidden);
            }
            if (batch != null) {
                b.batch(batch);
            }
            if (shift != null) {
                b.shift(shift);
            }
            if (mirror != null) {
                b.mirror(mirror);
            }
            // each on top of the builder's optimizer, so that a dataset preset's setting stands unless given here
            if (lr != null) {
                b.lr(lr);
            }
            if (weightDecay != null) {
                b.weightDecay(weightDecay);
            }
            if (lrSchedule != null) {
                b.lrSchedule(LrSchedule.parse(lrSchedule));
            }
            if (topK != null) {
                b.topK(topK);
            }
            if (latentTopK != null) {
                b.latentTopK(latentTopK);
            }
            if (layerNorm != null) {
                b.layerNorm(layerNorm);
            }
            if (activation != null) {
                b.activation(Activation.parse(activation));
            }
            if (decoderActivation != null) {
                b.decoderActivation(Activation.parse(decoderActivation));
            }
            if (noiseStd != null || maskProb != null) {
                if (!model.equals("dae") && (cells == null || !cells.contains(":")
                        || CellDef.parseList(cells).stream().noneMatch(d -> d.kind() == CellKind.DAE))) {
                    throw new Main.UsageException("--noise-std and --mask-prob apply to dae cells only: --model dae, "
                            + "or a --cells list with a dae cell");
                }
                Noise d = ModelSpecBuilder.DAE_NOISE;
                b.noise(new Noise(noiseStd == null ? d.gaussianStd() : noiseStd, maskProb == null ? d.maskProb()
                        : maskProb));
            }
            if (l1 != null) {
                b.l1(l1);
            }
            if (lifetime != null) {
                b.lifetime(lifetime);
            }
            if (headHidden != null) {
                b.headHidden(headHidden);
            }
            if (headInput != null) {
                b.headInput(HeadInput.parse(headInput));
            }
            if (schedule != null) {
                b.schedule(Schedule.parse(schedule));
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

}
