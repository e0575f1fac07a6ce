package dev.uff4j.cli;

import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.backend.factory.BackendProvider;
import dev.uff4j.backend.cpu.Gemms;
import dev.uff4j.data.DataDirs;
import dev.uff4j.data.DataFetcher;
import dev.uff4j.data.DatasetId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code uff4j info}: version, backends, threads, GEMM kernel and data location. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the version, the available backends, the default thread count and where data lives.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory to report on.")
    String data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("uff4j " + Main.version());
        out.println("java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        out.println("threads: " + Runtime.getRuntime().availableProcessors()
                + " (available processors; --threads overrides)");
        try (CpuBackend cpu = new CpuBackend(1)) {
            out.println("backends:");
            out.println("  cpu: available; GEMM kernel " + cpu.gemmName()
                    + (Gemms.vectorApiAvailable() ? "" : " (start Java with --add-modules jdk.incubator.vector for "
                    + "the faster Vector API kernel)"));
        }
        BackendProvider.Availability cuda = BackendFactory.availability(BackendOptions.Kind.CUDA);
        out.println("  cuda: " + (cuda.available() ? "available; " + cuda.device() : "not available: " + cuda.reason()));
        DataDirs.DataDir dir = DataDirs.explain(data);
        out.println("data: " + dir.path().toAbsolutePath() + " (" + dir.from() + ")");
        for (DatasetId id : DatasetId.values()) {
            out.println("  " + id.id() + ": " + (DataFetcher.isPresent(id, dir.path()) ? "present"
                    : "missing (" + DataFetcher.missingHint(id, dir.path()) + ")"));
        }
        return Main.OK;
    }
}
