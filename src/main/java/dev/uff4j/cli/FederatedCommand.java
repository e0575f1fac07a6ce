package dev.uff4j.cli;

import dev.uff4j.data.DataSplit;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.distributed.ClientSplit;
import dev.uff4j.distributed.Engines;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.FederatedEngine;
import dev.uff4j.distributed.FederatedJob;
import dev.uff4j.model.LrSchedule;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code uff4j federated}: federated averaging of a UFF model, cell by cell, on an engine. */
@Command(name = "federated", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Federated averaging of a UFF model, part by part: each round every client trains the global "
                + "cells on its own samples, the cells are averaged (weighted by samples), then every client trains the "
                + "global head on the averaged cells' features and the heads are averaged.",
                "Engines: local (clients one after the other in this process) or spark (engines/spark; a client per "
                        + "partition)."})
final class FederatedCommand implements Callable<Integer> {
    @Option(names = "--engine", paramLabel = "E", defaultValue = "local",
            description = "local or spark (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[4] or spark://host:7077 "
            + "(default: local[N] with the --threads count).")
    String master;

    @Option(names = "--dataset", paramLabel = "D", defaultValue = "mnist",
            description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--limit", paramLabel = "N", description = "Share out the first N training samples only.")
    Integer limit;

    @Option(names = "--clients", paramLabel = "C", defaultValue = "8", description = "Clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "5", description = "Rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--local-epochs", paramLabel = "E", defaultValue = "1",
            description = "Epochs each client trains per phase and round (default: ${DEFAULT-VALUE}).")
    int localEpochs;

    @Option(names = "--split", paramLabel = "S", defaultValue = "iid",
            description = "iid, or label-skew (each client two label-sorted shards) (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = {"Save the averaged model after every round; "
            + "if FILE exists, resume after its last round (its run must have the same settings)."})
    Path checkpoint;

    @Option(names = "--report", paramLabel = "FILE", description = "Write a JSON report to FILE.")
    Path report;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    RuntimeOptions runtime;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DatasetId id = RuntimeOptions.dataset(dataset);
        ClientSplit clientSplit;
        try {
            clientSplit = ClientSplit.parse(split);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--split: " + e.getMessage());
        }
        ModelSpec modelSpec = modelOptions.spec(id);
        if (!modelSpec.kind().isUff()) {
            throw new Main.UsageException("--model: federated averaging here averages the cells of a UFF model (ae, "
                    + "dae, gan, cae), not " + modelSpec.kind().id());
        }
        if (!spec.commandLine().getParseResult().hasMatchedOption("--lr-schedule")) {
            // a client's few local epochs are no run to decay over: a constant rate unless asked otherwise
            modelSpec = modelSpec.withOptimization(modelSpec.optimization().withLrSchedule(LrSchedule.CONSTANT));
        }
        FederatedAveraging.Settings settings;
        try {
            settings = new FederatedAveraging.Settings(clients, rounds, localEpochs, clientSplit,
                    modelOptions.seed == null ? ModelSpecBuilder.SEED : modelOptions.seed);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        runtime.validate();
        RuntimeOptions.checkOutput("--checkpoint", checkpoint);
        RuntimeOptions.checkOutput("--report", report);
        FederatedEngine chosen;
        try {
            chosen = Engines.federated(engine);
        } catch (IllegalStateException e) {
            throw new Main.UsageException("--engine " + engine + ": " + e.getMessage());
        }
        DataSplit data = runtime.load(id, err);
        Dataset train = data.train();
        if (limit != null) {
            if (limit < 1 || limit > train.count()) {
                throw new Main.UsageException("--limit must be in [1, " + train.count() + "], got " + limit);
            }
            train = train.head(limit);
        }
        if (2L * clients > train.count()) {
            throw new Main.UsageException("--clients must be at most " + train.count() / 2 + " for " + train.count()
                    + " samples, got " + clients);
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("threads", Integer.toString(runtime.threadCount()));
        if (master != null) {
            options.put("master", master); // else the engine's default: local[threads] for spark
        }
        out.println("uff4j " + Main.version() + ": federated " + modelSpec.kind().id() + " on " + id.id() + " ("
                + train.count() + " train samples), " + clients + " clients (" + clientSplit.id() + "), " + rounds
                + " rounds of " + localEpochs + " local epoch" + (localEpochs == 1 ? "" : "s") + ", engine " + engine);
        out.flush();
        List<FederatedAveraging.RoundReport> reports = new ArrayList<>();
        FederatedAveraging.Result result;
        long t0 = System.nanoTime();
        try {
            result = chosen.run(new FederatedJob(modelSpec, train, data.test(), settings, checkpoint, options,
                    FederatedAveraging.Faults.NONE), r -> {
                        reports.add(r);
                        out.printf(Locale.ROOT, "round %d: test %.2f%%, %d clients averaged, %.1f MB down and %.1f MB "
                                + "up per client, %.1f s%n", r.round(), 100 * r.testAccuracy(), r.clientsAveraged(),
                                r.bytesDownPerClient() / 1e6, r.bytesUpPerClient() / 1e6, r.seconds());
                        for (String f : r.failures()) {
                            err.println("uff4j: " + f);
                        }
                        out.flush();
                        err.flush();
                    });
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = result.rounds().isEmpty() ? Double.NaN
                : result.rounds().get(result.rounds().size() - 1).testAccuracy();
        out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d test samples)%n", 100 * accuracy, data.test().count());
        out.printf(Locale.ROOT, "time: %.1f s%n", seconds);
        if (report != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("command", "federated");
            r.put("uff4j_version", Main.version());
            r.put("engine", engine);
            r.put("model", modelSpec.kind().id());
            r.put("dataset", id.id());
            r.put("train_samples", train.count());
            r.put("clients", clients);
            r.put("split", clientSplit.id());
            r.put("rounds", rounds);
            r.put("local_epochs", localEpochs);
            r.put("test_accuracy", accuracy);
            r.put("seconds", seconds);
            List<Map<String, Object>> rs = new ArrayList<>();
            for (FederatedAveraging.RoundReport x : reports) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("round", x.round());
                m.put("test_accuracy", x.testAccuracy());
                m.put("clients_averaged", x.clientsAveraged());
                m.put("bytes_down_per_client", x.bytesDownPerClient());
                m.put("bytes_up_per_client", x.bytesUpPerClient());
                m.put("failures", x.failures());
                m.put("seconds", x.seconds());
                rs.add(m);
            }
            r.put("rounds_detail", rs);
            r.put("config", new LinkedHashMap<String, Object>(modelSpec.toConfig()));
            Json.writeFile(report, r);
            out.println("wrote report to " + report);
        }
        return Main.OK;
    }
}
