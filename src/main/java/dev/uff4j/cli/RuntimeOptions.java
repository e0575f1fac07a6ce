package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.cpu.CpuBackend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.backend.factory.BackendProvider;
import dev.uff4j.checkpoint.Checkpoint;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DataDirs;
import dev.uff4j.data.DataFetcher;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.io.AtomicFile;
import dev.uff4j.io.OutputException;
import dev.uff4j.model.MemoryPlan;
import dev.uff4j.model.ModelSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Options shared by the commands that load data and compute: where the data is, which backend, how many threads. */
final class RuntimeOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: $UFF4J_DATA, else data/ in the checkout).")
    String data;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Compute backend: auto (the GPU when one is found, else the CPU), cpu or cuda "
                    + "(default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--cuda-gemm", paramLabel = "KIND", defaultValue = "auto",
            description = "GPU matrix multiply: auto (cuBLAS when it loads, else uff4j's own kernel), cublas or "
                    + "kernel (default: ${DEFAULT-VALUE}).")
    String cudaGemm;

    @Option(names = "--tf32", description = "Let cuBLAS use TF32 tensor cores for float32 matrix products (faster, "
            + "about 3 decimal digits per product instead of 7).")
    boolean tf32;

    @Option(names = "--cuda-debug", description = "Check every GPU kernel launch synchronously (slow; errors name "
            + "the kernel).")
    boolean cudaDebug;

    @Option(names = "--threads", paramLabel = "T",
            description = "CPU threads (default: all available processors).")
    Integer threads;

    @Option(names = "--gemm", paramLabel = "KIND", defaultValue = "auto",
            description = "CPU matrix-multiply kernel: auto, vector or blocked (default: ${DEFAULT-VALUE}).")
    String gemm;

    @Option(names = "--no-fetch", description = "Fail instead of fetching a missing dataset.")
    boolean noFetch;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "Progress on stderr: auto, bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
    boolean verbose;

    Path dataDir() {
        return DataDirs.resolve(data);
    }

    int threadCount() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1 || t > 1024) {
            throw new Main.UsageException("--threads must be in [1, 1024], got " + t);
        }
        return t;
    }

    /** The options as types; a bad value is a usage error naming its option. */
    BackendOptions backendOptions() {
        BackendOptions o = BackendOptions.auto().kind(parse("--backend", () -> BackendOptions.Kind.parse(backend)))
                .threads(threadCount()).cpuGemm(parse("--gemm", () -> BackendOptions.CpuGemm.parse(gemm)))
                .cudaGemm(parse("--cuda-gemm", () -> BackendOptions.CudaGemm.parse(cudaGemm))).tf32(tf32);
        return cudaDebug ? o.debug(true) : o;
    }

    private static <T> T parse(String option, java.util.function.Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(option + ": " + e.getMessage());
        }
    }

    /** Opens the backend; {@code auto} without a GPU says why on {@code err} and uses the CPU. */
    Backend openBackend(PrintWriter err) {
        validate();
        try {
            return BackendFactory.open(backendOptions(), line -> {
                err.println("uff4j: " + line);
                err.flush();
            });
        } catch (IllegalStateException e) {
            throw new Main.RunException(e.getMessage(), e);
        }
    }

    /** Checks the options that need no data, so a usage error shows before any loading. */
    void validate() {
        BackendOptions options = backendOptions();
        if (options.kind() == BackendOptions.Kind.CUDA) {
            BackendProvider.Availability cuda = BackendFactory.availability(BackendOptions.Kind.CUDA);
            if (!cuda.available()) {
                // before any data is loaded
                throw new Main.RunException("the cuda backend is not available: " + cuda.reason(), null);
            }
        }
        progressMode();
    }

    private ProgressBar.Mode progressMode() {
        try {
            return ProgressBar.parse(progress, System.console() != null);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }

    ProgressBar progressBar(PrintWriter err) {
        return new ProgressBar(err, progressMode());
    }

    /**
     * Loads a dataset, fetching it first when it is missing (unless --no-fetch). One that cannot be fetched is loaded
     * as it is: a missing file is one error line that says where to put the files.
     */
    DataSplit load(DatasetId id, PrintWriter err) {
        Path dir = dataDir();
        if (!noFetch && id.fetchable() && !DataFetcher.isPresent(id, dir)) {
            err.println("uff4j: " + id.id() + " is not in " + dir + "; fetching it");
            DataFetcher.fetch(id, dir, line -> err.println("uff4j: " + line));
        }
        return Datasets.load(id, dir);
    }

    /**
     * An output path must be writable (not a folder, in a folder where a file can be created, with a name the file
     * system accepts): found before any data is loaded or anything trained, not after. Creates nothing that stays.
     */
    static void checkOutput(String option, Path file) {
        if (file == null) {
            return;
        }
        try {
            AtomicFile.checkWritable(file);
        } catch (OutputException e) {
            throw new Main.UsageException(option + " " + e.getMessage());
        }
    }

    /**
     * Fails before a model is built when it cannot fit in what {@code backend} has free, keeping room for the run's
     * other buffers. Called once the data is loaded, so that what it takes is no longer free.
     *
     * @throws Main.RunException        when it does not fit: the model's size, the free memory and what to do
     * @throws IllegalArgumentException when a part of the model is larger than one tensor holds
     */
    static void checkMemory(ModelSpec spec, Backend backend) {
        boolean heap = backend instanceof CpuBackend;
        long max = Runtime.getRuntime().maxMemory();
        long room = heap ? Math.max(64L << 20, max / 20) : 512L << 20;
        String where = heap ? "are free in the JVM heap (at most " + MemoryPlan.gib(max) + ")" : "are free on the GPU";
        String advice = heap ? "give the JVM more with UFF4J_JAVA_OPTS=-Xmx<size>" : "use a GPU with more memory";
        try {
            MemoryPlan.check(spec, backend.freeMemory() - room, where, advice);
        } catch (MemoryPlan.TooLarge e) {
            throw new Main.RunException(e.getMessage(), e);
        }
    }

    /**
     * The model of a checkpoint must read the dataset's samples: checked before the data is loaded.
     *
     * @throws Main.RunException naming the file, what the model takes and what the dataset has
     */
    static void checkModelReads(Path modelFile, ModelSpec spec, DatasetId id) {
        if (spec.inputSize() != id.inputSize() || spec.classes() != id.classes()) {
            throw new Main.RunException(modelFile + ": the model takes " + spec.inputSize() + " inputs and predicts "
                    + spec.classes() + " classes, but " + id.id() + " samples have " + id.inputSize() + " values and "
                    + id.classes() + " classes", null);
        }
    }

    /** Builds a checkpoint's model on {@code backend}, after checking that it fits; problems name the file. */
    static ModelCheckpoint.Loaded loadModel(Path modelFile, Checkpoint checkpoint, ModelSpec spec, Backend backend,
                                            PrintWriter err, String command) {
        try {
            checkMemory(spec, backend);
        } catch (IllegalArgumentException e) {
            throw new Main.RunException(modelFile + ": unusable model configuration: " + e.getMessage(), e);
        }
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(modelFile, checkpoint, backend);
        if (loaded.nonFiniteValues() > 0) {
            err.println("uff4j " + command + ": warning: " + modelFile + " holds " + loaded.nonFiniteValues()
                    + " weights that are NaN or infinite (in " + String.join(", ", loaded.nonFiniteTensors())
                    + "): it was saved from a diverged run, and what it computes means nothing");
            err.flush();
        }
        return loaded;
    }

    static DatasetId dataset(String name) {
        try {
            return DatasetId.parse(name);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage());
        }
    }
}
