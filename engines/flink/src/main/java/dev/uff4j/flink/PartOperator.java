package dev.uff4j.flink;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.PartState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * One stage of the layer pipeline: a part of the model (a cell or the head) on a CPU backend of its own, stepping on
 * every batch in order. Its training state lives in Flink operator state: at each checkpoint (never per batch) the
 * part's {@link PartState} bytes and its progress, the id of the last batch it {@code applied} and how many times it
 * was restored. On a restore the part is rebuilt and given the checkpoint's state, and the source rewinds to the same
 * cut, so the batches after it reach the rolled-back part again: each batch's step lands exactly once. A batch that
 * is not the one after {@code applied} (a gap or a duplicate) fails the task.
 *
 * <p>At the end of every epoch the part reports its losses; at the end of the input it emits its final state, cut
 * into {@link StageOutput#CHUNK_BYTES} pieces.
 *
 * @param <O> the main output: the batch with this cell's latents, or the head's reports
 */
abstract class PartOperator<O> extends AbstractStreamOperator<O>
        implements OneInputStreamOperator<BatchRecord, O>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    protected final PipelineConfig config;
    protected final int index;
    protected final String name;
    private transient ListState<byte[]> stateStore;
    private transient ListState<long[]> progressStore;
    private transient Backend backend;
    private transient long applied;
    private transient int restores;
    private transient long restoredAt;
    private transient boolean checkpointCompleted;

    PartOperator(PipelineConfig config, int index) {
        this.config = config;
        this.index = index;
        this.name = PipelineConfig.partName(index, config.cells());
    }

    /** Builds the part, as a fresh model's part starts. */
    abstract void createPart(Backend backend, ModelSpec spec);

    /** The part's state, read back. */
    abstract PartState partState();

    /** Replaces the part's state. */
    abstract void restorePart(PartState state);

    /** One step on a batch, passing on what the next stage needs. */
    abstract void step(BatchRecord batch);

    /** The part's mean losses since the last call, and the training accuracy (NaN for a cell); resets them. */
    abstract double[] takeLossesAndAccuracy();

    /** Hands a report or a piece of the final state to the engine. */
    abstract void report(StageOutput output);

    /** Closes the part (its tensors). */
    abstract void closePart();

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        stateStore = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>(name + "-state", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        progressStore = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>(name + "-progress", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        backend = BackendFactory.open(BackendOptions.cpu().threads(config.threadsPerStage()), line -> { });
        createPart(backend, config.spec());
        applied = -1;
        restores = 0;
        restoredAt = -1;
        byte[] saved = single(stateStore.get());
        long[] progress = single(progressStore.get());
        if (context.isRestored() && saved != null && progress != null) {
            restorePart(PartState.fromBytes(saved));
            applied = progress[0];
            restores = (int) progress[1] + 1;
            restoredAt = applied;
            LOG.info("{} restored from a checkpoint: last batch applied {}, restore {}", name, applied, restores);
        }
    }

    private static <T> T single(Iterable<T> items) {
        if (items == null) {
            return null;
        }
        Iterator<T> it = items.iterator();
        if (!it.hasNext()) {
            return null;
        }
        T first = it.next();
        if (it.hasNext()) {
            throw new IllegalStateException("a stage's operator state holds more than one entry");
        }
        return first;
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        stateStore.update(List.of(partState().toBytes()));
        progressStore.update(List.of(new long[] {applied, restores, restoredAt}));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        checkpointCompleted = true;
    }

    @Override
    public void processElement(StreamRecord<BatchRecord> record) {
        BatchRecord batch = record.getValue();
        if (batch.id != applied + 1) {
            throw new IllegalStateException(name + ": batch " + batch.id + " arrived after batch " + applied
                    + (batch.id <= applied ? ": a batch applied twice" : ": batches lost"));
        }
        int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        if (config.failsAt(name, batch.id, attempt, checkpointCompleted)) {
            throw new InjectedFailure(name + ": injected failure at batch " + batch.id + " (attempt " + attempt
                    + ", after a completed checkpoint)");
        }
        step(batch);
        applied = batch.id;
        int steps = config.stepsPerEpoch();
        if ((batch.id + 1) % steps == 0) {
            StageOutput r = output();
            r.epoch = (int) ((batch.id + 1) / steps);
            double[] metrics = takeLossesAndAccuracy();
            r.losses = Arrays.copyOf(metrics, metrics.length - 1);
            r.accuracy = metrics[metrics.length - 1];
            report(r);
        }
    }

    @Override
    public void endInput() {
        long expected = config.totalBatches() - 1;
        if (applied != expected) {
            throw new IllegalStateException(name + ": the input ended after batch " + applied + ", expected "
                    + expected);
        }
        byte[] bytes = partState().toBytes();
        int chunks = Math.max(1, (bytes.length + StageOutput.CHUNK_BYTES - 1) / StageOutput.CHUNK_BYTES);
        for (int c = 0; c < chunks; c++) {
            StageOutput r = output();
            r.chunk = c;
            r.chunks = chunks;
            r.bytes = Arrays.copyOfRange(bytes, c * StageOutput.CHUNK_BYTES,
                    Math.min(bytes.length, (c + 1) * StageOutput.CHUNK_BYTES));
            report(r);
        }
    }

    private StageOutput output() {
        StageOutput r = new StageOutput();
        r.part = index;
        r.name = name;
        r.applied = applied;
        r.restores = restores;
        r.restoredAt = restoredAt;
        return r;
    }

    @Override
    public void close() throws Exception {
        try {
            closePart();
            if (backend != null) {
                backend.close();
                backend = null;
            }
        } finally {
            super.close();
        }
    }

    /** The failure a test asks for ({@code inject-failure-part}, {@code inject-failure-batch}). */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(String message) {
            super(message);
        }
    }
}
