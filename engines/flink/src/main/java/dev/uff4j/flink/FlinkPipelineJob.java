package dev.uff4j.flink;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.checkpoint.TrainingCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.distributed.FederatedAveraging;
import dev.uff4j.distributed.PipelineJob;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.train.Trainer;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The main class of the job jar ({@code uff4j-flink-0.1.0-job.jar}) for {@code flink run}: trains a UFF model as a
 * layer pipeline on the cluster that runs it, then writes the trained model (with its optimizer state) and prints its
 * test accuracy when the test set is readable here. Started outside a cluster (a plain JVM with Flink on the class
 * path) it runs on a local MiniCluster, as the engine does.
 *
 * <pre>
 * flink run -c dev.uff4j.flink.FlinkPipelineJob uff4j-flink-0.1.0-job.jar \
 *     --dataset mnist --data /shared/uff4j-data --limit 10000 --epochs 5 \
 *     --model dae --cells 2 --hidden 500 --output /shared/models/dae-flink.uff
 * </pre>
 */
public final class FlinkPipelineJob {
    private static final String USAGE = String.join("\n",
            "usage: flink run [-c dev.uff4j.flink.FlinkPipelineJob] uff4j-flink-0.1.0-job.jar [options]",
            "  --dataset D            mnist or fashion-mnist (default mnist)",
            "  --data DIR             the data directory, the same path on every TaskManager (default ./data)",
            "  --limit N              the first N training samples (default all)",
            "  --epochs E             epochs (default 10)",
            "  --model K              ae, dae, gan or cae (default dae)",
            "  --cells N              cells (default: the dataset's preset)",
            "  --hidden N             units per cell",
            "  --batch N              batch size",
            "  --seed S               seed (default 1)",
            "  --lr X                 AdamW learning rate",
            "  --set KEY=VALUE        any model setting as uff4j's model files name it (e.g. head_input=all)",
            "  --engine-option K=V    an engine option: checkpoint-interval-ms, checkpoint-dir, restart-attempts,",
            "                         restart-delay-ms, threads-per-stage, ... (see engines/flink/README.md)",
            "  --output FILE          write the trained model with its optimizer state (a path on this machine)");

    private FlinkPipelineJob() {
    }

    /**
     * Parses the arguments, runs the job and reports.
     *
     * @param args the options above
     * @throws Exception when the job fails
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Map<String, String> a = new LinkedHashMap<>();
        Map<String, String> sets = new LinkedHashMap<>();
        Map<String, String> engineOptions = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("--help") || key.equals("-h")) {
                out.println(USAGE);
                return;
            }
            if (!key.startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + key + "'\n" + USAGE);
            }
            String value = args[++i];
            switch (key) {
                case "--set" -> put(sets, value, key);
                case "--engine-option" -> put(engineOptions, value, key);
                case "--dataset", "--data", "--limit", "--epochs", "--model", "--cells", "--hidden", "--batch",
                     "--seed", "--lr", "--output" -> a.put(key.substring(2), value);
                default -> throw new IllegalArgumentException("unknown option " + key + "\n" + USAGE);
            }
        }
        DatasetId dataset = DatasetId.parse(a.getOrDefault("dataset", "mnist"));
        Path dataDir = Path.of(a.getOrDefault("data", "data")).toAbsolutePath();
        ModelSpec spec = spec(dataset, a, sets);
        int epochs = Integer.parseInt(a.getOrDefault("epochs", "10"));
        int samples;
        DataSplit data = null;
        if (a.containsKey("limit")) {
            samples = Integer.parseInt(a.get("limit"));
        } else {
            data = Datasets.load(dataset, dataDir); // the client needs the count: the data must be here too
            samples = data.train().count();
        }
        PipelineJob job = new PipelineJob(spec, dataset, dataDir, samples, epochs, engineOptions,
                line -> out.println("uff4j: " + line));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FlinkPipelineEngine.Result result = env instanceof LocalStreamEnvironment
                ? new FlinkPipelineEngine().run(job)
                : FlinkPipelineEngine.runOn(env, job);
        try (Backend backend = BackendFactory.open(BackendOptions.cpu(), line -> { });
             Model model = FederatedAveraging.assemble(backend, spec, result.parts())) {
            if (a.containsKey("output")) {
                Path file = Path.of(a.get("output"));
                TrainingCheckpoint.saveState(file, model, Map.of("dataset", dataset.id(), "train_samples",
                        Integer.toString(samples), "epochs", Integer.toString(epochs), "engine", "flink"));
                out.println("uff4j: wrote the model to " + file.toAbsolutePath());
            }
            try {
                if (data == null) {
                    data = Datasets.load(dataset, dataDir);
                }
            } catch (RuntimeException e) {
                out.println("uff4j: no test accuracy: the test set is not readable here (" + e.getMessage() + ")");
                return;
            }
            try (Trainer trainer = new Trainer(backend, model)) {
                out.printf(Locale.ROOT, "uff4j: test accuracy %.2f%% (%d test samples)%n",
                        100 * trainer.evaluate(data.test()), data.test().count());
            }
        }
    }

    /** The dataset's preset for the model, with the options and {@code --set} pairs on top. */
    static ModelSpec spec(DatasetId dataset, Map<String, String> a, Map<String, String> sets) {
        ModelSpecBuilder b = DatasetPresets.builder(ModelKind.parse(a.getOrDefault("model", "dae")), dataset);
        if (a.containsKey("cells")) {
            b.cells(Integer.parseInt(a.get("cells")));
        }
        if (a.containsKey("hidden")) {
            b.hidden(Integer.parseInt(a.get("hidden")));
        }
        if (a.containsKey("batch")) {
            b.batch(Integer.parseInt(a.get("batch")));
        }
        b.seed(Long.parseLong(a.getOrDefault("seed", Long.toString(ModelSpecBuilder.SEED))));
        if (a.containsKey("lr")) {
            b.lr(Double.parseDouble(a.get("lr"))); // keeps the preset's weight decay
        }
        ModelSpec spec = b.build();
        if (sets.isEmpty()) {
            return spec;
        }
        Map<String, String> config = spec.toConfig();
        for (Map.Entry<String, String> e : sets.entrySet()) {
            if (!config.containsKey(e.getKey())) {
                throw new IllegalArgumentException("--set: unknown model setting '" + e.getKey() + "'; known: "
                        + String.join(", ", List.copyOf(config.keySet())));
            }
            config.put(e.getKey(), e.getValue());
        }
        return ModelSpec.fromConfig(config);
    }

    private static void put(Map<String, String> map, String pair, String option) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException(option + " takes KEY=VALUE, got '" + pair + "'");
        }
        map.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
}
