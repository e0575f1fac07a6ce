package dev.uff4j.spark;

import dev.uff4j.data.Dataset;
import dev.uff4j.distributed.ClientSplit;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.FederatedAveraging.ClientUpdate;
import dev.uff4j.distributed.FederatedJob;
import dev.uff4j.train.PartState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clients of a federated run on Spark: an RDD of the client numbers, one partition per client, and one broadcast
 * per client holding its samples (sent once; each executor fetches the ones its tasks read and keeps them across
 * rounds). Each phase broadcasts the global states, runs {@link ClientPhase} on every partition, collects one update
 * per client and destroys the broadcast.
 */
final class SparkClients implements FederatedAveraging.Clients, AutoCloseable {
    private final JavaSparkContext sc;
    private final FederatedJob job;
    private final Map<String, String> spec;
    private final List<Broadcast<ClientData>> data = new ArrayList<>();
    private final JavaRDD<Integer> clients;
    private final TaskFailures failOnce;
    /**
     * The last phase's destroyed broadcast, held until the next phase ends: destroy() removes the blocks
     * asynchronously, and were the object collected meanwhile, Spark's cleaner would remove them a second time (and
     * warn that they are gone).
     */
    private Broadcast<byte[][]> destroyed;
    /** The id of every broadcast made, for tests. */
    private final List<Long> made = new ArrayList<>();

    /**
     * Shares the training set out ({@link ClientSplit#indices}, {@link ClientSplit#subset}, as
     * {@link FederatedAveraging#simulate} does) and broadcasts each client's samples.
     *
     * @param sc       the Spark context
     * @param job      the run
     * @param failOnce task attempts to kill, for tests
     */
    SparkClients(JavaSparkContext sc, FederatedJob job, TaskFailures failOnce) {
        this.sc = sc;
        this.job = job;
        this.failOnce = failOnce;
        this.spec = job.spec().toConfig();
        FederatedAveraging.Settings s = job.settings();
        List<int[]> split = s.split().indices(job.train(), s.clients(), s.seed());
        List<Integer> ids = new ArrayList<>();
        try {
            for (int c = 0; c < split.size(); c++) {
                Dataset d = ClientSplit.subset(job.train(), split.get(c), "client" + c);
                Broadcast<ClientData> b = sc.broadcast(ClientData.of(d));
                made.add(b.id());
                data.add(b);
                ids.add(c);
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        // n elements in n slices: slice k holds client k alone
        this.clients = sc.parallelize(ids, ids.size()).setName("uff4j clients");
    }

    @Override
    public List<ClientUpdate> trainCells(int round, List<PartState> cells) {
        Set<Integer> faulty = new HashSet<>();
        for (int c = 0; c < job.settings().clients(); c++) {
            if (job.faults().fails(round, c)) { // the lambda stays on the driver; the set travels
                faulty.add(c);
            }
        }
        return phase(ClientPhase.Kind.CELLS, round, cells, faulty, Set.of(), "cells");
    }

    @Override
    public List<ClientUpdate> trainHeads(int round, List<PartState> cells, PartState head, Set<Integer> skip) {
        List<PartState> parts = new ArrayList<>(cells);
        parts.add(head);
        return phase(ClientPhase.Kind.HEAD, round, parts, Set.of(), skip, "head");
    }

    private List<ClientUpdate> phase(ClientPhase.Kind kind, int round, List<PartState> parts, Set<Integer> faulty,
                                     Set<Integer> skip, String what) {
        byte[][] bytes = new byte[parts.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = parts.get(i).toBytes();
        }
        Broadcast<byte[][]> states = sc.broadcast(bytes);
        made.add(states.id());
        try {
            sc.setJobDescription("uff4j round " + round + ": " + what);
            FederatedAveraging.Settings s = job.settings();
            List<WireUpdate> wire = clients.mapPartitions(new ClientPhase(kind, spec, data, states, round,
                    s.localEpochs(), s.seed(), faulty, skip, failOnce.clients(round, kind))).collect();
            List<ClientUpdate> updates = new ArrayList<>(wire.size());
            for (WireUpdate w : wire) {
                updates.add(w.toUpdate());
            }
            return updates;
        } finally {
            states.destroy();
            destroyed = states;
        }
    }

    /**
     * The ids of the broadcasts made so far: each client's samples, then each phase's states.
     *
     * @return broadcast ids
     */
    List<Long> broadcastIds() {
        return List.copyOf(made);
    }

    /** Destroys the clients' sample broadcasts. */
    @Override
    public void close() {
        for (Broadcast<ClientData> b : data) {
            b.destroy();
        }
        data.clear();
    }
}
