package dev.uff4j.train;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ParameterSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parallel schedule: one thread per cell and one for the head, each with a CPU backend of its own, joined by
 * bounded queues. The trainer's thread reads the batches ({@link BatchPlan}) and feeds the first cell; cell {@code i}
 * steps on a batch and passes its latents on, so while it steps on batch {@code b} the cell before it steps on
 * {@code b + 1}. A full queue stops the stage before it (back-pressure); batch buffers are pooled, so nothing is
 * allocated per step. Each part sees exactly the inputs of the pipelined schedule, in the same order, so the model
 * ends as the pipelined schedule leaves it (on the CPU, whose results do not depend on the thread count, bit for
 * bit).
 *
 * <p>At the end of an epoch a marker passes down the chain and collects each part's losses; the parts' states are
 * then copied into the model (on the trainer's backend), which the trainer evaluates and checkpoints as usual.
 */
final class PipelineTrainer implements AutoCloseable {
    /** Batches in flight: enough for every stage to hold one and one to wait before each. */
    private final int depth;
    private final Model model;
    private final ModelSpec spec;
    private final BatchPlan plan;
    private final int cells;
    private final List<Backend> backends = new ArrayList<>();
    private final List<CellTrainer> cellTrainers = new ArrayList<>();
    private final HeadTrainer head;
    private final List<BlockingQueue<Batch>> queues = new ArrayList<>();
    private final BlockingQueue<Batch> free;
    private final BlockingQueue<Batch> done = new ArrayBlockingQueue<>(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Batch marker;

    /** One batch in flight, or the end-of-epoch marker. */
    private static final class Batch {
        int rows;
        float lrScale;
        /** {@code inputs[i]}: cell {@code i}'s input rows; {@code inputs[cells]}: the last cell's latents. */
        final float[][] inputs;
        /** The head's input when it reads every cell; else null and it reads {@code inputs[cells]}. */
        final float[] features;
        final int[] labels;
        /** For the marker: each part's losses of the epoch, filled as it passes. */
        final double[][] losses;
        double trainAccuracy;
        boolean end;

        Batch(int[] widths, int batch, int featureSize, boolean concatenated) {
            inputs = new float[widths.length][];
            for (int i = 0; i < widths.length; i++) {
                inputs[i] = new float[batch * widths[i]];
            }
            features = concatenated ? new float[batch * featureSize] : null;
            labels = new int[batch];
            losses = new double[widths.length][];
        }
    }

    /**
     * Parts on backends of their own, each started from the model's current state.
     *
     * @param model   a UFF model whose schedule is parallel
     * @param plan    the run's batches
     * @param threads the trainer backend's threads, shared out among the cells (at least one each)
     */
    PipelineTrainer(Model model, BatchPlan plan, int threads) {
        this.model = model;
        this.spec = model.spec();
        this.plan = plan;
        this.cells = spec.cells().count();
        this.depth = 2 * (cells + 1);
        int perCell = Math.max(1, threads / cells);
        int[] widths = new int[cells + 1];
        widths[0] = spec.inputSize();
        try {
            for (int i = 0; i < cells; i++) {
                Backend b = BackendFactory.open(BackendOptions.cpu().threads(perCell), line -> { });
                backends.add(b);
                CellTrainer c = CellTrainer.create(b, spec, i);
                cellTrainers.add(c);
                c.restore(partState(model, c.name()));
                widths[i + 1] = c.latentSize();
            }
            Backend hb = BackendFactory.open(BackendOptions.cpu().threads(1), line -> { });
            backends.add(hb);
            this.head = HeadTrainer.create(hb, spec);
            head.restore(partState(model, "head"));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        boolean concatenated = spec.head().input() == HeadInput.ALL && cells > 1;
        this.free = new ArrayBlockingQueue<>(depth);
        for (int k = 0; k < depth; k++) {
            free.add(new Batch(widths, plan.batchSize(), spec.headInputSize(), concatenated));
        }
        this.marker = new Batch(new int[cells + 1], 0, 0, false);
        marker.end = true;
        for (int i = 0; i <= cells; i++) {
            queues.add(new ArrayBlockingQueue<>(depth + 1));
        }
        for (int i = 0; i < cells; i++) {
            int index = i;
            start("uff4j-cell" + (i + 1), () -> cellLoop(index));
        }
        start("uff4j-head", this::headLoop);
    }

    /** The groups of part {@code name} in {@code model}, read back as a state. */
    private static PartState partState(Model model, String name) {
        Map<String, ParameterSet.State> groups = new LinkedHashMap<>();
        model.parameterGroups().forEach((group, set) -> {
            if (group.equals(name) || group.startsWith(name + "-")) {
                groups.put(group, set.state());
            }
        });
        return new PartState(name, groups);
    }

    private void start(String name, Runnable loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /**
     * Runs one epoch through the chain and waits for its end.
     *
     * @param epoch    the epoch, from 0
     * @param progress told of each batch fed
     * @return the parts' losses and the head's accuracy over the epoch
     */
    Model.TrainMetrics epoch(int epoch, Progress progress) throws InterruptedException {
        long fed = 0;
        for (int step = 0; step < plan.stepsPerEpoch(); step++) {
            Batch b = take(free);
            b.rows = plan.rows(step);
            b.lrScale = plan.lrScale(epoch, step);
            plan.inputs(epoch, step, b.inputs[0]);
            plan.labels(epoch, step, b.labels);
            put(queues.get(0), b);
            fed += b.rows;
            progress.advance(fed);
        }
        put(queues.get(0), marker);
        Batch m = take(done);
        List<Double> losses = new ArrayList<>();
        for (int i = 0; i <= cells; i++) {
            for (double l : m.losses[i]) {
                losses.add(l);
            }
        }
        return new Model.TrainMetrics(losses.stream().mapToDouble(Double::doubleValue).toArray(), m.trainAccuracy);
    }

    /** Copies every part's state into the model (between epochs, while the threads wait). */
    void syncModel() {
        Map<String, ParameterSet> groups = model.parameterGroups();
        for (CellTrainer c : cellTrainers) {
            c.state().groups().forEach((name, s) -> groups.get(name).restore(s));
        }
        head.state().groups().forEach((name, s) -> groups.get(name).restore(s));
    }

    private void cellLoop(int i) {
        CellTrainer cell = cellTrainers.get(i);
        int latent = cell.latentSize();
        int offset = 0;
        for (int k = 0; k < i; k++) {
            offset += cellTrainers.get(k).latentSize();
        }
        int featureSize = spec.headInputSize();
        BlockingQueue<Batch> in = queues.get(i);
        BlockingQueue<Batch> out = queues.get(i + 1);
        while (true) {
            Batch b = take(in);
            if (b == null) {
                return;
            }
            if (b.end) {
                b.losses[i] = cell.takeLosses();
            } else {
                cell.setLrScale(b.lrScale);
                float[] latents = b.inputs[i + 1];
                cell.trainAndEncode(b.inputs[i], b.rows, latents);
                if (b.features != null) {
                    for (int r = 0; r < b.rows; r++) {
                        System.arraycopy(latents, r * latent, b.features, r * featureSize + offset, latent);
                    }
                }
            }
            put(out, b);
        }
    }

    private void headLoop() {
        BlockingQueue<Batch> in = queues.get(cells);
        while (true) {
            Batch b = take(in);
            if (b == null) {
                return;
            }
            if (b.end) {
                Model.TrainMetrics m = head.takeMetrics();
                b.losses[cells] = m.losses();
                b.trainAccuracy = m.trainAccuracy();
                put(done, b);
            } else {
                head.setLrScale(b.lrScale);
                head.train(b.features != null ? b.features : b.inputs[cells], b.labels, b.rows);
                put(free, b);
            }
        }
    }

    /** The next item, or null once the pipeline is shutting down; a stage's failure surfaces here. */
    private Batch take(BlockingQueue<Batch> q) {
        try {
            while (true) {
                rethrow();
                Batch b = q.poll(50, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void put(BlockingQueue<Batch> q, Batch b) {
        try {
            while (!q.offer(b, 50, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the parallel schedule was interrupted", e);
        }
    }

    private void rethrow() {
        Throwable f = failure.get();
        if (f != null) {
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    /** Stops the threads and closes the parts and their backends. */
    @Override
    public void close() {
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (CellTrainer c : cellTrainers) {
            c.close();
        }
        if (head != null) {
            head.close();
        }
        for (Backend b : backends) {
            b.close();
        }
    }
}
