package dev.uff4j.spark;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.data.Dataset;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.PartState;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One phase of one round on the executors: the function of the partitions of the clients' RDD (a partition holds
 * one client's number). It reads the global states from a broadcast, the client's samples from the client's own
 * broadcast, trains on a CPU backend of one thread ({@link FederatedAveraging#trainCells} or
 * {@link FederatedAveraging#trainHead}) and returns the client's states as bytes. A client's exception is caught
 * and returned as a failed update, so that one dead client does not fail the job; anything else that kills the task
 * (an executor lost, an out-of-memory error, {@code failOnce}) makes Spark run the task again.
 *
 * <p>Only serializable fields: no reference to the engine, the job or the driver's objects.
 */
final class ClientPhase implements FlatMapFunction<Iterator<Integer>, WireUpdate> {
    private static final long serialVersionUID = 1L;

    /** The message of an injected client failure, as {@link FederatedAveraging#simulate} words it. */
    static final String INJECTED_FAULT = "injected fault";

    /** Which phase. */
    enum Kind {
        /** Train the cells from the global cells. */
        CELLS,
        /** Train the head on the averaged cells' features. */
        HEAD
    }

    private final Kind kind;
    private final LinkedHashMap<String, String> spec;
    private final ArrayList<Broadcast<ClientData>> data;
    private final Broadcast<byte[][]> states;
    private final int round;
    private final int localEpochs;
    private final long seed;
    private final HashSet<Integer> faulty;
    private final HashSet<Integer> skip;
    private final HashSet<Integer> failOnce;

    /**
     * A phase.
     *
     * @param kind        cells or head
     * @param spec        the model's {@link ModelSpec#toConfig}
     * @param data        every client's samples, by client
     * @param states      the cells' states as bytes (then the head's, for the head phase)
     * @param round       the round, from 1
     * @param localEpochs epochs per client
     * @param seed        the run's seed
     * @param faulty      clients made to fail (caught: a failed update)
     * @param skip        clients that do nothing (they failed the cell phase)
     * @param failOnce    clients whose task's first attempt dies (not caught: Spark retries it), for tests
     */
    ClientPhase(Kind kind, Map<String, String> spec, List<Broadcast<ClientData>> data, Broadcast<byte[][]> states,
                int round, int localEpochs, long seed, Set<Integer> faulty, Set<Integer> skip, Set<Integer> failOnce) {
        this.kind = kind;
        this.spec = new LinkedHashMap<>(spec);
        this.data = new ArrayList<>(data);
        this.states = states;
        this.round = round;
        this.localEpochs = localEpochs;
        this.seed = seed;
        this.faulty = new HashSet<>(faulty);
        this.skip = new HashSet<>(skip);
        this.failOnce = new HashSet<>(failOnce);
    }

    @Override
    public Iterator<WireUpdate> call(Iterator<Integer> clients) {
        List<WireUpdate> out = new ArrayList<>(1);
        while (clients.hasNext()) {
            int client = clients.next();
            if (skip.contains(client)) {
                continue;
            }
            TaskContext task = TaskContext.get();
            if (failOnce.contains(client) && task != null && task.attemptNumber() == 0) {
                throw new IllegalStateException("injected task failure: round " + round + ", " + kind
                        + " phase, client" + client + ", attempt " + task.attemptNumber()
                        + " (Spark runs the task again)");
            }
            out.add(train(client));
        }
        return out.iterator();
    }

    private WireUpdate train(int client) {
        try {
            if (faulty.contains(client)) {
                throw new IllegalStateException(INJECTED_FAULT);
            }
            ModelSpec model = ModelSpec.fromConfig(spec);
            List<PartState> parts = new ArrayList<>();
            for (byte[] b : states.value()) {
                parts.add(PartState.fromBytes(b));
            }
            Dataset samples = data.get(client).value().dataset();
            long clientSeed = FederatedAveraging.clientSeed(seed, round, client);
            try (Backend backend = BackendFactory.open(BackendOptions.cpu().threads(1), line -> { })) {
                List<PartState> trained;
                if (kind == Kind.CELLS) {
                    trained = FederatedAveraging.trainCells(backend, model, parts, samples, localEpochs, clientSeed);
                } else {
                    List<PartState> cells = parts.subList(0, parts.size() - 1);
                    trained = Collections.singletonList(FederatedAveraging.trainHead(backend, model, cells,
                            parts.get(parts.size() - 1), samples, localEpochs, clientSeed));
                }
                return WireUpdate.trained(client, trained, samples.count());
            }
        } catch (Exception e) {
            return WireUpdate.failed(client, FederatedAveraging.describe(e));
        }
    }
}
