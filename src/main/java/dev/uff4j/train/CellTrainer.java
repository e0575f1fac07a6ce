package dev.uff4j.train;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Tensor;
import dev.uff4j.model.Cell;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One cell of a UFF model trained apart from the rest: it takes batches of its input (the images for the first
 * cell, the previous cell's latents for the others) as plain arrays and gives its latents, which the next cell trains
 * on. No gradient leaves a cell, so a chain of these, each in its own thread, process or machine, trains exactly what
 * the model's pipelined schedule trains: {@link #trainAndEncode} is that schedule's step for one cell (train on the
 * batch, then encode it with the updated parameters).
 *
 * <pre>{@code
 * try (CellTrainer cell2 = CellTrainer.create(backend, spec, 1)) {
 *     cell2.setLrScale(plan.lrScale(epoch, step));
 *     cell2.trainAndEncode(latentsOfCell1, rows, latentsOfCell2);
 * }
 * }</pre>
 *
 * Its state ({@link #state}, {@link #restore}) is what moves between machines or is averaged across clients. The
 * cell starts as the model's cell of the same index starts (same seed). It is driven by one thread at a time; close
 * it to free its tensors.
 */
public final class CellTrainer implements AutoCloseable {
    private final BackendScope backend;
    private final Cell cell;
    private final int index;
    private final String name;
    private final int batch;
    private final Tensor x;

    private CellTrainer(Backend backend, ModelSpec spec, int index) {
        this.backend = new BackendScope(backend);
        try {
            this.cell = Models.cell(this.backend, spec, index);
            this.batch = spec.optimization().batch();
            this.x = this.backend.zeros(batch, cell.inputSize());
        } catch (RuntimeException | Error e) {
            this.backend.close();
            throw e;
        }
        this.index = index;
        this.name = "cell" + (index + 1);
    }

    /**
     * Cell {@code index} of a model of {@code spec}, initialised as that model's cell is.
     *
     * @param backend where its tensors live
     * @param spec    a UFF model's specification (ae, dae, gan or cae cells)
     * @param index   which cell, from 0
     * @return the cell's trainer; close it when done
     */
    public static CellTrainer create(Backend backend, ModelSpec spec, int index) {
        Objects.requireNonNull(backend, "backend");
        return new CellTrainer(backend, spec, index);
    }

    /**
     * The cell's name in checkpoints and states.
     *
     * @return {@code cell1}, {@code cell2}, ...
     */
    public String name() {
        return name;
    }

    /**
     * The cell's index in its model.
     *
     * @return from 0
     */
    public int index() {
        return index;
    }

    /**
     * Values of one input row.
     *
     * @return the cell's input width
     */
    public int inputSize() {
        return cell.inputSize();
    }

    /**
     * Values of one latent row.
     *
     * @return the cell's latent width
     */
    public int latentSize() {
        return cell.latentSize();
    }

    /**
     * Rows of the largest batch.
     *
     * @return the spec's batch size
     */
    public int batchSize() {
        return batch;
    }

    /**
     * The learning-rate factor of the following steps (the schedule's, see {@link BatchPlan#lrScale}).
     *
     * @param scale a factor in [0, 1]
     */
    public void setLrScale(float scale) {
        cell.setLrScale(scale);
    }

    /**
     * One optimizer step on the cell's local loss for a batch.
     *
     * @param rows  {@code count} input rows, one after the other
     * @param count rows in the batch, 1 to {@link #batchSize()}
     */
    public void train(float[] rows, int count) {
        cell.trainStep(upload(rows, count));
    }

    /**
     * The latents of a batch with the cell as it is now.
     *
     * @param rows      {@code count} input rows
     * @param count     rows in the batch, 1 to {@link #batchSize()}
     * @param latentOut receives {@code count * latentSize()} values
     */
    public void encode(float[] rows, int count, float[] latentOut) {
        backend.download(cell.encode(upload(rows, count)), latentOut, 0);
    }

    /**
     * The pipelined schedule's step for this cell: one optimizer step on the batch, then its latents with the
     * updated parameters (what the next cell trains on).
     *
     * @param rows      {@code count} input rows
     * @param count     rows in the batch, 1 to {@link #batchSize()}
     * @param latentOut receives {@code count * latentSize()} values
     */
    public void trainAndEncode(float[] rows, int count, float[] latentOut) {
        Tensor in = upload(rows, count);
        cell.trainStep(in);
        backend.download(cell.encode(in), latentOut, 0);
    }

    /**
     * The cell's mean loss per step since the last call, one per loss it reports (a GAN cell has two); resets.
     * One read-back.
     *
     * @return the losses, NaN where no step was taken
     */
    public double[] takeLosses() {
        return cell.takeLosses();
    }

    /**
     * Names of what {@link #takeLosses} returns.
     *
     * @return e.g. {@code [cell2]}, or {@code [cell1-d, cell1-g]} for a GAN cell
     */
    public List<String> lossNames() {
        return cell.lossSuffixes().stream().map(s -> name + s).toList();
    }

    /**
     * The cell's parameters, moments and step counts, read back.
     *
     * @return the state, named after the cell
     */
    public PartState state() {
        Map<String, ParameterSet.State> groups = new LinkedHashMap<>();
        cell.parameterGroups(name).forEach((group, set) -> groups.put(group, set.state()));
        return new PartState(name, groups);
    }

    /**
     * Replaces the cell's parameters, moments and step counts.
     *
     * @param state a state of this cell (from {@link #state}, possibly of another process, or averaged)
     * @throws IllegalArgumentException if it is another part's or does not fit
     */
    public void restore(PartState state) {
        restore(name, cell.parameterGroups(name), state);
    }

    /** Frees the cell's tensors; the backend stays open. */
    @Override
    public void close() {
        backend.close();
    }

    private Tensor upload(float[] rows, int count) {
        if (count < 1 || count > batch || rows.length < count * cell.inputSize()) {
            throw new IllegalArgumentException(name + ": a batch of " + count + " rows of " + cell.inputSize()
                    + " values needs 1 to " + batch + " rows and an array of at least " + count * cell.inputSize()
                    + " values, got " + rows.length);
        }
        Tensor in = x.firstRows(count);
        backend.upload(rows, 0, in);
        return in;
    }

    static void restore(String name, Map<String, ParameterSet> groups, PartState state) {
        Objects.requireNonNull(state, "state");
        if (!state.part().equals(name) || !state.groups().keySet().equals(groups.keySet())) {
            throw new IllegalArgumentException("the state of " + state.part() + " (groups "
                    + state.groups().keySet() + ") does not fit " + name + " (groups " + groups.keySet() + ")");
        }
        groups.forEach((group, set) -> set.restore(state.groups().get(group)));
    }
}
