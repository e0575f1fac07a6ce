package dev.uff4j.model;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Unsupervised Forward-Forward: a stack of cells, each trained on its own reconstruction loss from the detached
 * latent of the cell below, and a classifier head trained on the detached latents. No gradient crosses a cell
 * boundary: every {@code trainStep} only touches its own parameter set.
 */
public final class UffModel implements Model {
    private final BackendScope backend;
    private final ModelSpec spec;
    private final List<Cell> cells;
    private final ClassifierHead head;
    private final HeadFeatures headInput;

    UffModel(BackendScope backend, ModelSpec spec) {
        this(backend, spec, cellSpecs(Objects.requireNonNull(spec, "spec")));
    }

    /**
     * A model whose cells follow {@code cellSpecs} instead of the uniform cells of {@code spec} (same count and
     * widths): cells with their own losses or noise. The spec still gives the head, schedule and optimizer.
     */
    UffModel(BackendScope backend, ModelSpec spec, List<CellSpec> cellSpecs) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(cellSpecs, "cellSpecs");
        if (spec.kind() == ModelKind.BP || spec.kind() == ModelKind.FF || spec.kind() == ModelKind.BP_CNN) {
            throw new IllegalArgumentException("a UFF model needs ae, dae, gan or cae cells, got " + spec.kind().id());
        }
        this.backend = backend;
        this.spec = spec;
        List<Cell> list = new ArrayList<>();
        int count = spec.cells().count();
        if (cellSpecs.size() != count) {
            throw new IllegalArgumentException("expected " + count + " cell specs, got " + cellSpecs.size());
        }
        for (int i = 0; i < count; i++) {
            CellSpec c = cellSpecs.get(i);
            if (c.input() != spec.cell(i).input() || c.hidden() != spec.cell(i).hidden()) {
                throw new IllegalArgumentException("cell " + (i + 1) + " must map " + spec.cell(i).input() + " to "
                        + spec.cell(i).hidden() + " values, got " + c.input() + " to " + c.hidden());
            }
            list.add(cell(backend, spec, c, i));
        }
        this.cells = Collections.unmodifiableList(list);
        this.head = head(backend, spec);
        this.headInput = new HeadFeatures(backend, spec);
    }

    /** Cell {@code i} of a model of {@code spec}, following {@code c}, seeded as every model of the spec seeds it. */
    static Cell cell(Backend backend, ModelSpec spec, CellSpec c, int i) {
        AdamW hyper = spec.optimization().optimizer();
        int batch = spec.optimization().batch();
        long seed = Seeds.derive(spec.seed(), "cell", i);
        try {
            return switch (c.kind()) {
                case GAN -> new GanCell(backend, c, hyper, batch, seed);
                case CAE -> new ConvCell(backend, c, hyper, batch, seed);
                default -> new AutoencoderCell(backend, c, hyper, batch, seed);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cell " + (i + 1) + ": " + e.getMessage(), e);
        }
    }

    /** The head of a model of {@code spec}, seeded as every model of the spec seeds it. */
    static ClassifierHead head(Backend backend, ModelSpec spec) {
        return new ClassifierHead(backend, spec.headInputSize(), spec.head().hidden(), spec.classes(),
                spec.optimization().optimizer(), spec.optimization().batch(), Seeds.derive(spec.seed(), "head", 0));
    }

    private static List<CellSpec> cellSpecs(ModelSpec spec) {
        List<CellSpec> list = new ArrayList<>();
        for (int i = 0; i < spec.cells().count(); i++) {
            list.add(spec.cell(i));
        }
        return list;
    }

    /**
     * The model's cells, bottom first: each one's {@link Cell#encode} feeds the next.
     *
     * @return the live cells in an unmodifiable list
     */
    public List<Cell> cells() {
        return cells;
    }

    ClassifierHead head() {
        return head;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    private boolean pipelined() {
        return spec.optimization().schedule().everyPartEveryBatch();
    }

    @Override
    public int stages() {
        return pipelined() ? 1 : cells.size() + 1;
    }

    @Override
    public String stageName(int stage) {
        if (pipelined()) {
            return "all";
        }
        return stage < cells.size() ? "cell" + (stage + 1) : "head";
    }

    @Override
    public void trainBatch(int stage, Tensor x, Tensor labels) {
        spec.checkBatch("trainBatch", x);
        if (pipelined()) {
            if (labels == null) {
                trainCellsPipelined(x);
            } else {
                trainPipelined(x, labels);
            }
        } else if (stage < cells.size()) {
            trainCell(stage, x);
        } else {
            trainHeadBatch(x, labels);
        }
    }

    @Override
    public boolean trainsWithoutLabels() {
        return true;
    }

    @Override
    public void trainHeadBatch(Tensor x, Tensor labels) {
        if (labels == null) {
            throw new IllegalArgumentException("the head trains on labels; got none");
        }
        head.trainStep(features(x), labels);
    }

    @Override
    public void setLrScale(int stage, float scale) {
        boolean all = pipelined();
        for (int i = 0; i < cells.size(); i++) {
            if (all || stage == i) {
                cells.get(i).setLrScale(scale);
            }
        }
        if (all || stage == cells.size()) {
            head.parameters().setLrScale(scale);
        }
    }

    /** Every cell steps on the latent of the cell below (computed after that cell's step), then the head. */
    private void trainPipelined(Tensor x, Tensor labels) {
        Tensor input = x;
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            cell.trainStep(input);
            input = headInput.collect(i, cell.encode(input));
        }
        head.trainStep(headInput.of(input), labels);
    }

    /** Every cell steps on the latent of the cell below, as in {@link #trainPipelined}; no head, no labels. */
    private void trainCellsPipelined(Tensor x) {
        Tensor input = x;
        for (Cell cell : cells) {
            cell.trainStep(input);
            input = cell.encode(input);
        }
    }

    /** Greedy stage: the frozen cells below encode, cell {@code index} steps. */
    private void trainCell(int index, Tensor x) {
        Tensor input = x;
        for (int i = 0; i < index; i++) {
            input = cells.get(i).encode(input);
        }
        cells.get(index).trainStep(input);
    }

    @Override
    public Tensor logits(Tensor x) {
        spec.checkBatch("logits", x);
        return head.logits(features(x));
    }

    @Override
    public Tensor features(Tensor x) {
        spec.checkBatch("features", x);
        Tensor input = x;
        for (int i = 0; i < cells.size(); i++) {
            input = headInput.collect(i, cells.get(i).encode(input));
        }
        return headInput.of(input);
    }

    @Override
    public List<String> lossNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            for (String suffix : cells.get(i).lossSuffixes()) {
                names.add("cell" + (i + 1) + suffix);
            }
        }
        names.add("head");
        return names;
    }

    @Override
    public TrainMetrics takeMetrics() {
        double[] cellLosses = new double[lossNames().size() - 1];
        int k = 0;
        for (Cell cell : cells) {
            for (double loss : cell.takeLosses()) {
                cellLosses[k++] = loss;
            }
        }
        return head.takeMetrics(cellLosses);
    }

    @Override
    public String nonFiniteLoss() {
        for (int i = 0; i < cells.size(); i++) {
            if (cells.get(i).losses().firstNonFinite() >= 0) {
                return "cell" + (i + 1);
            }
        }
        return head.losses().firstNonFinite() >= 0 ? "head" : null;
    }

    /** Frees every tensor of the model (cells, head, buffers); the backend stays open. */
    @Override
    public void close() {
        backend.close();
    }

    @Override
    public Map<String, ParameterSet> parameterGroups() {
        Map<String, ParameterSet> groups = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            groups.putAll(cells.get(i).parameterGroups("cell" + (i + 1)));
        }
        groups.put("head", head.parameters());
        return groups;
    }
}
