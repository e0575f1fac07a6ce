package dev.uff4j.distributed;

import dev.uff4j.backend.Backend;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.checkpoint.TrainingCheckpoint;
import dev.uff4j.data.Dataset;
import dev.uff4j.model.HeadInput;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.model.ParameterSet;
import dev.uff4j.model.Seeds;
import dev.uff4j.train.BatchPlan;
import dev.uff4j.train.CellTrainer;
import dev.uff4j.train.HeadTrainer;
import dev.uff4j.train.PartState;
import dev.uff4j.train.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Federated averaging of a UFF model, cell by cell (FedAvg, McMahan et al. 2017, applied to each part apart). Each
 * round has two phases:
 * <ol>
 *   <li><b>cells</b>: every client starts from the global cells, trains them on its own samples for a few local
 *       epochs (the pipelined schedule without the head: no label is needed) and sends them back; each cell's
 *       parameters and AdamW moments are averaged, weighted by the clients' sample counts;</li>
 *   <li><b>head</b>: every client starts from the global head, trains it on the features the averaged cells give
 *       its samples (the cells frozen), and sends it back; the heads are averaged the same way.</li>
 * </ol>
 * A client that fails is reported and left out of that round's averages; the others carry on. The client-side steps
 * ({@link #trainCells}, {@link #trainHead}) and {@link #average} are what an engine runs on its workers and its
 * driver (the Spark engine does); {@link #simulate} runs the whole algorithm in one process, clients one after the
 * other, so that it can be tested and measured alone.
 */
public final class FederatedAveraging {
    private FederatedAveraging() {
    }

    /**
     * The settings of a federated run.
     *
     * @param clients     how many clients share the training set
     * @param rounds      rounds to run
     * @param localEpochs epochs each client trains per phase and round
     * @param split       how the samples are shared out
     * @param seed        the seed of the split and of each client's shuffling and noise
     */
    public record Settings(int clients, int rounds, int localEpochs, ClientSplit split, long seed) {
        /**
         * Checks the counts.
         *
         * @param clients     at least 1
         * @param rounds      at least 1
         * @param localEpochs at least 1
         * @param split       the split
         * @param seed        any seed
         */
        public Settings {
            Objects.requireNonNull(split, "split");
            if (clients < 1 || rounds < 1 || localEpochs < 1) {
                throw new IllegalArgumentException("clients, rounds and local epochs must be at least 1, got "
                        + clients + ", " + rounds + ", " + localEpochs);
            }
        }
    }

    /**
     * What one round produced.
     *
     * @param round              the round, from 1
     * @param testAccuracy       the averaged model's accuracy on the test set after the round
     * @param bytesDownPerClient bytes the server sent each client (the cells, then the averaged cells and the head)
     * @param bytesUpPerClient   bytes each client sent back (its cells, then its head)
     * @param clientsAveraged    clients whose updates the round averaged
     * @param failures           one line per client that failed, naming it and why
     * @param seconds            the round's wall time
     */
    public record RoundReport(int round, double testAccuracy, long bytesDownPerClient, long bytesUpPerClient,
                              int clientsAveraged, List<String> failures, double seconds) {
        /**
         * Copies the failures.
         *
         * @param round              from 1
         * @param testAccuracy       in [0, 1]
         * @param bytesDownPerClient at least 0
         * @param bytesUpPerClient   at least 0
         * @param clientsAveraged    at least 0
         * @param failures           the failed clients
         * @param seconds            at least 0
         */
        public RoundReport {
            failures = List.copyOf(failures);
        }
    }

    /**
     * Decides which clients fail, for tests of failure handling: a client for which it answers true throws in that
     * round.
     */
    @FunctionalInterface
    public interface Faults {
        /** No client ever fails. */
        Faults NONE = (round, client) -> false;

        /**
         * Whether a client fails in a round.
         *
         * @param round  the round, from 1
         * @param client the client, from 0
         * @return true to make it fail
         */
        boolean fails(int round, int client);
    }

    /**
     * Every part's state at the start: a fresh model's cells and head, seeded as {@link Models#create} seeds them.
     *
     * @param backend where to build them for a moment
     * @param spec    a UFF model's specification
     * @return the cells' states in order, then the head's
     */
    public static List<PartState> initialParts(Backend backend, ModelSpec spec) {
        List<PartState> parts = new ArrayList<>();
        for (int i = 0; i < spec.cells().count(); i++) {
            try (CellTrainer c = CellTrainer.create(backend, spec, i)) {
                parts.add(c.state());
            }
        }
        try (HeadTrainer h = HeadTrainer.create(backend, spec)) {
            parts.add(h.state());
        }
        return parts;
    }

    /**
     * The seed of one client's work in one round (its shuffling and its cells' noise).
     *
     * @param seed   the run's seed
     * @param round  the round, from 1
     * @param client the client, from 0
     * @return a seed of its own
     */
    public static long clientSeed(long seed, int round, int client) {
        return Seeds.derive(Seeds.derive(seed, "round", round), "client", client);
    }

    /**
     * A client's cell phase: its cells start from {@code cells} and train on {@code data} for {@code epochs}
     * epochs, every cell stepping on every batch (the next cell on the latents of the one below, after its step).
     *
     * @param backend where the client trains
     * @param spec    the model's specification (its seed is replaced by {@code seed})
     * @param cells   the global cells' states, in order
     * @param data    the client's samples (labels not used)
     * @param epochs  local epochs
     * @param seed    the client's seed for this round ({@link #clientSeed})
     * @return the client's cells' states after training, in order
     */
    public static List<PartState> trainCells(Backend backend, ModelSpec spec, List<PartState> cells, Dataset data,
                                             int epochs, long seed) {
        ModelSpec local = spec.withSeed(seed);
        List<CellTrainer> chain = chain(backend, local, cells);
        try {
            BatchPlan plan = new BatchPlan(data, local, epochs);
            float[][] buffers = buffers(chain, plan.batchSize(), spec.inputSize());
            for (int e = 0; e < epochs; e++) {
                for (int s = 0; s < plan.stepsPerEpoch(); s++) {
                    int rows = plan.rows(s);
                    plan.inputs(e, s, buffers[0]);
                    float scale = plan.lrScale(e, s);
                    for (int i = 0; i < chain.size(); i++) {
                        chain.get(i).setLrScale(scale);
                        chain.get(i).trainAndEncode(buffers[i], rows, buffers[i + 1]);
                    }
                }
            }
            List<PartState> out = new ArrayList<>();
            for (CellTrainer c : chain) {
                out.add(c.state());
            }
            return out;
        } finally {
            chain.forEach(CellTrainer::close);
        }
    }

    /**
     * A client's head phase: the head starts from {@code head} and trains on {@code data} for {@code epochs}
     * epochs, on the features of the frozen {@code cells}.
     *
     * @param backend where the client trains
     * @param spec    the model's specification (its seed is replaced by {@code seed})
     * @param cells   the averaged cells' states, in order
     * @param head    the global head's state
     * @param data    the client's labelled samples
     * @param epochs  local epochs
     * @param seed    the client's seed for this round
     * @return the client's head's state after training
     */
    public static PartState trainHead(Backend backend, ModelSpec spec, List<PartState> cells, PartState head,
                                      Dataset data, int epochs, long seed) {
        ModelSpec local = spec.withSeed(seed);
        List<CellTrainer> chain = chain(backend, local, cells);
        try (HeadTrainer h = HeadTrainer.create(backend, local)) {
            h.restore(head);
            BatchPlan plan = new BatchPlan(data, local, epochs);
            float[][] buffers = buffers(chain, plan.batchSize(), spec.inputSize());
            boolean all = spec.head().input() == HeadInput.ALL && chain.size() > 1;
            int featureSize = spec.headInputSize();
            float[] features = all ? new float[plan.batchSize() * featureSize] : null;
            int[] labels = new int[plan.batchSize()];
            for (int e = 0; e < epochs; e++) {
                for (int s = 0; s < plan.stepsPerEpoch(); s++) {
                    int rows = plan.rows(s);
                    plan.inputs(e, s, buffers[0]);
                    plan.labels(e, s, labels);
                    int offset = 0;
                    for (int i = 0; i < chain.size(); i++) {
                        CellTrainer c = chain.get(i);
                        c.encode(buffers[i], rows, buffers[i + 1]);
                        if (all) {
                            for (int r = 0; r < rows; r++) {
                                System.arraycopy(buffers[i + 1], r * c.latentSize(), features, r * featureSize + offset,
                                        c.latentSize());
                            }
                            offset += c.latentSize();
                        }
                    }
                    h.setLrScale(plan.lrScale(e, s));
                    h.train(all ? features : buffers[chain.size()], labels, rows);
                }
            }
            return h.state();
        } finally {
            chain.forEach(CellTrainer::close);
        }
    }

    /**
     * Averages the clients' states part by part ({@link PartState#average}), weighted by their sample counts.
     *
     * @param updates each client's states of the same parts, in the same order
     * @param samples each client's sample count
     * @return the averaged states, in that order
     */
    public static List<PartState> average(List<List<PartState>> updates, long[] samples) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("no client to average: every client of the round failed");
        }
        List<PartState> averaged = new ArrayList<>();
        for (int p = 0; p < updates.get(0).size(); p++) {
            List<PartState> column = new ArrayList<>();
            for (List<PartState> u : updates) {
                column.add(u.get(p));
            }
            averaged.add(PartState.average(column, samples));
        }
        return averaged;
    }

    /**
     * Bytes these states take on the wire ({@link PartState#toBytes}: three floats per parameter and a header).
     *
     * @param parts the states
     * @return their total size in bytes
     */
    public static long bytes(List<PartState> parts) {
        long n = 0;
        for (PartState p : parts) {
            n += p.toBytes().length;
        }
        return n;
    }

    /**
     * A model of {@code spec} holding these states, to evaluate or save.
     *
     * @param backend where the model lives
     * @param spec    the model's specification
     * @param parts   every part's state (the cells', then the head's)
     * @return the model; close it when done
     */
    public static Model assemble(Backend backend, ModelSpec spec, List<PartState> parts) {
        Model model = Models.create(backend, spec);
        try {
            Map<String, ParameterSet> groups = model.parameterGroups();
            for (PartState p : parts) {
                p.groups().forEach((name, s) -> {
                    ParameterSet set = groups.get(name);
                    if (set == null) {
                        throw new IllegalArgumentException("the model has no group '" + name + "' for part "
                                + p.part());
                    }
                    set.restore(s);
                });
            }
            return model;
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /**
     * The states of every part of a model, cells in order then the head: the inverse of {@link #assemble}.
     *
     * @param model a UFF model
     * @return its parts' states
     */
    public static List<PartState> parts(Model model) {
        Map<String, Map<String, ParameterSet.State>> byPart = new LinkedHashMap<>();
        model.parameterGroups().forEach((name, set) -> {
            String part = name.replaceFirst("-.*$", "");
            byPart.computeIfAbsent(part, k -> new LinkedHashMap<>()).put(name, set.state());
        });
        List<PartState> parts = new ArrayList<>();
        byPart.forEach((part, groups) -> parts.add(new PartState(part, groups)));
        return parts;
    }

    /**
     * The result of a run.
     *
     * @param parts  every part's final state (the cells', then the head's)
     * @param rounds every round's report, resumed rounds included
     */
    public record Result(List<PartState> parts, List<RoundReport> rounds) {
        /**
         * Copies the lists.
         *
         * @param parts  the final states
         * @param rounds the reports
         */
        public Result {
            parts = List.copyOf(parts);
            rounds = List.copyOf(rounds);
        }
    }

    /**
     * One client's answer in one phase of a round: its parts' states, or why it failed.
     *
     * @param client  the client, from 0
     * @param parts   its trained states (the cells in order, or the head alone); null when it failed
     * @param samples its sample count, the weight of its states in the average
     * @param failure why it failed, or null
     */
    public record ClientUpdate(int client, List<PartState> parts, long samples, String failure) {
        /**
         * A client that trained.
         *
         * @param client  the client
         * @param parts   its states
         * @param samples its sample count
         * @return the update
         */
        public static ClientUpdate trained(int client, List<PartState> parts, long samples) {
            return new ClientUpdate(client, List.copyOf(parts), samples, null);
        }

        /**
         * A client that failed.
         *
         * @param client the client
         * @param why    the failure, one line
         * @return the update
         */
        public static ClientUpdate failed(int client, String why) {
            return new ClientUpdate(client, null, 0, why);
        }
    }

    /**
     * Where the clients' work runs: in this process ({@link #simulate}), or on an engine's workers. Each method runs
     * every client given and returns one update per client, in any order; a client that throws is a failed update,
     * not an exception.
     */
    public interface Clients {
        /**
         * The cell phase of a round on every client ({@link #trainCells} with the client's seed).
         *
         * @param round the round, from 1
         * @param cells the global cells' states
         * @return one update per client
         * @throws Exception if the phase could not run at all (not for a client's failure)
         */
        List<ClientUpdate> trainCells(int round, List<PartState> cells) throws Exception;

        /**
         * The head phase of a round on the clients not in {@code skip} ({@link #trainHead}).
         *
         * @param round the round, from 1
         * @param cells the averaged cells' states
         * @param head  the global head's state
         * @param skip  clients left out (they failed the cell phase)
         * @return one update per client not skipped
         * @throws Exception if the phase could not run at all
         */
        List<ClientUpdate> trainHeads(int round, List<PartState> cells, PartState head, Set<Integer> skip)
                throws Exception;
    }

    /**
     * The whole algorithm in this process, clients one after the other (see {@link #run}).
     *
     * @param backend    where everything trains
     * @param spec       a UFF model's specification
     * @param train      the labelled training set, shared out among the clients
     * @param test       labelled samples measured after every round
     * @param settings   clients, rounds, local epochs, split, seed
     * @param faults     which clients fail in which round ({@link Faults#NONE} in earnest)
     * @param checkpoint the file to save after each round and resume from, or null
     * @param onRound    told of each round as it ends
     * @return the final states and every round's report
     */
    public static Result simulate(Backend backend, ModelSpec spec, Dataset train, Dataset test, Settings settings,
                                  Faults faults, Path checkpoint, Consumer<RoundReport> onRound) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(faults, "faults");
        List<int[]> split = settings.split().indices(train, settings.clients(), settings.seed());
        List<Dataset> data = new ArrayList<>();
        for (int c = 0; c < split.size(); c++) {
            data.add(ClientSplit.subset(train, split.get(c), "client" + c));
        }
        Clients local = new Clients() {
            @Override
            public List<ClientUpdate> trainCells(int round, List<PartState> cells) {
                List<ClientUpdate> updates = new ArrayList<>();
                for (int c = 0; c < data.size(); c++) {
                    try {
                        if (faults.fails(round, c)) {
                            throw new IllegalStateException("injected fault");
                        }
                        updates.add(ClientUpdate.trained(c, FederatedAveraging.trainCells(backend, spec, cells,
                                data.get(c), settings.localEpochs(), clientSeed(settings.seed(), round, c)),
                                data.get(c).count()));
                    } catch (RuntimeException e) {
                        updates.add(ClientUpdate.failed(c, describe(e)));
                    }
                }
                return updates;
            }

            @Override
            public List<ClientUpdate> trainHeads(int round, List<PartState> cells, PartState head,
                                                 Set<Integer> skip) {
                List<ClientUpdate> updates = new ArrayList<>();
                for (int c = 0; c < data.size(); c++) {
                    if (skip.contains(c)) {
                        continue;
                    }
                    try {
                        updates.add(ClientUpdate.trained(c, List.of(FederatedAveraging.trainHead(backend, spec,
                                cells, head, data.get(c), settings.localEpochs(),
                                clientSeed(settings.seed(), round, c))), data.get(c).count()));
                    } catch (RuntimeException e) {
                        updates.add(ClientUpdate.failed(c, describe(e)));
                    }
                }
                return updates;
            }
        };
        try {
            return run(backend, spec, test, settings, checkpoint, local, onRound);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The rounds, wherever the clients run: each round's cell phase, the average of the cells that trained (in
     * client order, weighted by samples), the head phase on the clients that did not fail, the average of the heads,
     * the test accuracy of the averaged model, its checkpoint, and the round's report. With {@code checkpoint} set,
     * the averaged model is saved there (with its optimizer state and the round reached) after every round, and a
     * run started with an existing checkpoint of the same settings continues after its last round.
     *
     * @param backend    where the driver builds the averaged model to measure and save it
     * @param spec       a UFF model's specification
     * @param test       labelled samples measured after every round
     * @param settings   clients, rounds, local epochs, split, seed
     * @param checkpoint the file to save after each round and resume from, or null
     * @param clients    where the clients' work runs
     * @param onRound    told of each round as it ends
     * @return the final states and every round's report
     * @throws Exception when a phase cannot run, or every client of a round fails
     */
    public static Result run(Backend backend, ModelSpec spec, Dataset test, Settings settings, Path checkpoint,
                             Clients clients, Consumer<RoundReport> onRound) throws Exception {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(onRound, "onRound");
        List<PartState> global;
        int first = 1;
        if (checkpoint != null && Files.exists(checkpoint)) {
            Resumed r = resume(backend, spec, settings, checkpoint);
            global = r.parts();
            first = r.roundsDone() + 1;
        } else {
            global = initialParts(backend, spec);
        }
        int cellCount = spec.cells().count();
        List<RoundReport> reports = new ArrayList<>();
        for (int round = first; round <= settings.rounds(); round++) {
            long t0 = System.nanoTime();
            List<String> failures = new ArrayList<>();
            List<PartState> cells = global.subList(0, cellCount);
            Set<Integer> failed = new TreeSet<>();
            List<ClientUpdate> cellUpdates = sorted(clients.trainCells(round, cells));
            for (ClientUpdate u : cellUpdates) {
                if (u.failure() != null) {
                    failed.add(u.client());
                    failures.add("client" + u.client() + " failed in round " + round + ": " + u.failure());
                }
            }
            List<PartState> averagedCells = averageTrained(cellUpdates, round);
            PartState head = global.get(cellCount);
            List<ClientUpdate> headUpdates = sorted(clients.trainHeads(round, averagedCells, head, failed));
            for (ClientUpdate u : headUpdates) {
                if (u.failure() != null) {
                    failures.add("client" + u.client() + " failed in round " + round + " (head): " + u.failure());
                }
            }
            List<PartState> next = new ArrayList<>(averagedCells);
            next.add(averageTrained(headUpdates, round).get(0));
            global = next;
            double accuracy;
            try (Model model = assemble(backend, spec, global); Trainer t = new Trainer(backend, model)) {
                accuracy = t.evaluate(test);
                if (checkpoint != null) {
                    TrainingCheckpoint.saveState(checkpoint, model, progress(settings, round));
                }
            }
            long down = bytes(cells) + bytes(averagedCells) + head.toBytes().length;
            long up = bytes(averagedCells) + head.toBytes().length;
            int averaged = (int) cellUpdates.stream().filter(u -> u.failure() == null).count();
            RoundReport report = new RoundReport(round, accuracy, down, up, averaged, failures,
                    (System.nanoTime() - t0) / 1e9);
            reports.add(report);
            onRound.accept(report);
        }
        return new Result(global, reports);
    }

    /**
     * A client's failure as one line: the exception's message, or the exception itself when it has none.
     *
     * @param e what the client threw
     * @return the line a round's report gives
     */
    public static String describe(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** Updates in client order, so that every engine sums the average in the same order. */
    private static List<ClientUpdate> sorted(List<ClientUpdate> updates) {
        List<ClientUpdate> list = new ArrayList<>(updates);
        list.sort(java.util.Comparator.comparingInt(ClientUpdate::client));
        return list;
    }

    private static List<PartState> averageTrained(List<ClientUpdate> updates, int round) {
        List<List<PartState>> states = new ArrayList<>();
        List<Long> weights = new ArrayList<>();
        for (ClientUpdate u : updates) {
            if (u.failure() == null) {
                states.add(u.parts());
                weights.add(u.samples());
            }
        }
        if (states.isEmpty()) {
            throw new IllegalStateException("round " + round + ": every client failed, nothing to average");
        }
        return average(states, toArray(weights));
    }

    /**
     * The configuration a round's checkpoint records, and checks when resuming.
     *
     * @param settings   the run's settings
     * @param roundsDone rounds finished
     * @return {@code federated.*} entries
     */
    public static Map<String, String> progress(Settings settings, int roundsDone) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("federated.rounds_done", Integer.toString(roundsDone));
        c.put("federated.rounds", Integer.toString(settings.rounds()));
        c.put("federated.clients", Integer.toString(settings.clients()));
        c.put("federated.local_epochs", Integer.toString(settings.localEpochs()));
        c.put("federated.split", settings.split().id());
        c.put("federated.seed", Long.toString(settings.seed()));
        return c;
    }

    /**
     * What a round's checkpoint holds: the parts' states and the rounds done.
     *
     * @param parts      every part's state
     * @param roundsDone rounds finished
     */
    public record Resumed(List<PartState> parts, int roundsDone) {
    }

    /**
     * Reads a round's checkpoint, checking that it belongs to a run of these settings and spec.
     *
     * @param backend    where to read the model for a moment
     * @param spec       the run's model specification
     * @param settings   the run's settings
     * @param checkpoint the file
     * @return the states and the rounds done
     * @throws IllegalArgumentException if the checkpoint is of another run, naming what differs
     */
    public static Resumed resume(Backend backend, ModelSpec spec, Settings settings, Path checkpoint) {
        ModelCheckpoint.Loaded loaded = TrainingCheckpoint.loadState(checkpoint, backend);
        try (Model model = loaded.model()) {
            Map<String, String> config = loaded.config();
            List<String> differences = new ArrayList<>();
            Map<String, String> mine = new LinkedHashMap<>(spec.toConfig());
            mine.putAll(progress(settings, 0));
            mine.forEach((k, v) -> {
                if (!k.equals("federated.rounds_done") && !k.equals("federated.rounds") && !v.equals(config.get(k))) {
                    differences.add(k + " " + config.get(k) + " (checkpoint) vs " + v + " (this run)");
                }
            });
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException(checkpoint + ": the checkpoint's run differs from this one: "
                        + String.join("; ", differences));
            }
            return new Resumed(parts(model), Integer.parseInt(config.getOrDefault("federated.rounds_done", "0")));
        }
    }

    private static long[] toArray(List<Long> list) {
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<CellTrainer> chain(Backend backend, ModelSpec spec, List<PartState> cells) {
        List<CellTrainer> chain = new ArrayList<>();
        try {
            for (int i = 0; i < cells.size(); i++) {
                CellTrainer c = CellTrainer.create(backend, spec, i);
                chain.add(c);
                c.restore(cells.get(i));
            }
            return chain;
        } catch (RuntimeException | Error e) {
            chain.forEach(CellTrainer::close);
            throw e;
        }
    }

    private static float[][] buffers(List<CellTrainer> chain, int batch, int inputSize) {
        float[][] buffers = new float[chain.size() + 1][];
        buffers[0] = new float[batch * inputSize];
        for (int i = 0; i < chain.size(); i++) {
            buffers[i + 1] = new float[batch * chain.get(i).latentSize()];
        }
        return buffers;
    }
}
