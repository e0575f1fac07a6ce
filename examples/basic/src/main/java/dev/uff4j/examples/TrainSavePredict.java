package dev.uff4j.examples;

import dev.uff4j.Predictor;
import dev.uff4j.Uff4j;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.train.EpochStats;
import dev.uff4j.train.TrainResult;
import dev.uff4j.train.Trainer;
import dev.uff4j.train.TrainingContext;
import dev.uff4j.train.TrainingListener;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Train a UFF model on MNIST, save it, load it back as a {@link Predictor} and classify the test set.
 *
 * <pre>
 * mvn -q -f examples/basic/pom.xml compile exec:java -Dexec.mainClass=dev.uff4j.examples.TrainSavePredict \
 *     -Dexec.args="data 3"
 * </pre>
 *
 * Arguments: the data directory (MNIST is fetched into it when missing), the number of epochs (default 3) and how
 * many training samples to use (default all 60000).
 */
public final class TrainSavePredict {
    private TrainSavePredict() {
    }

    /** What a run measured: the trainer's test accuracy and the loaded predictor's, which must agree. */
    public record Result(double trainerAccuracy, double predictorAccuracy, Path checkpoint) {
    }

    public static void main(String[] args) {
        Path data = Path.of(args.length > 0 ? args[0] : "data");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int limit = args.length > 2 ? Integer.parseInt(args[2]) : 60_000;
        Result r = run(data, Path.of("target", "mnist-dae.uff"), epochs, limit);
        System.out.printf(Locale.ROOT, "trainer: %.2f%%, predictor loaded from %s: %.2f%%%n",
                100 * r.trainerAccuracy(), r.checkpoint(), 100 * r.predictorAccuracy());
    }

    public static Result run(Path dataDir, Path checkpoint, int epochs, int limit) {
        // 1. Data: the standard MNIST files, fetched (and their sha256 checked) when missing.
        DataSplit mnist = Datasets.fetchAndLoad(DatasetId.MNIST, dataDir, System.err::println);
        Dataset train = mnist.train().head(Math.min(limit, mnist.train().count()));
        Dataset test = mnist.test();

        // 2. A model: the defaults bin/uff4j uses for a denoising autoencoder on MNIST, with our seed.
        ModelSpec spec = DatasetPresets.builder(ModelKind.DAE, DatasetId.MNIST).seed(7).build();

        // 3. Train on the CPU (or the GPU with the uff4j-cuda dependency), print each epoch, save.
        double trainerAccuracy;
        try (Backend backend = BackendFactory.open(BackendOptions.auto());
             Model model = Models.create(backend, spec);
             Trainer trainer = new Trainer(backend, model)) {
            trainer.addListener(new TrainingListener() {
                @Override
                public void epochEnded(EpochStats stats, TrainingContext context) {
                    System.err.printf(Locale.ROOT, "epoch %d: test accuracy %.2f%% (%.1f s)%n", stats.epoch(),
                            100 * stats.testAccuracy(), stats.seconds());
                }
            });
            TrainResult result = trainer.train(train, test, epochs, dev.uff4j.train.Progress.NONE);
            trainerAccuracy = result.testAccuracy();
            ModelCheckpoint.save(checkpoint, model);
        }

        // 4. Load it back, as another program would, and predict every test image (batched inside).
        try (Predictor predictor = Uff4j.load(checkpoint)) {
            int[] predicted = predictor.predict(test.rows());
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == test.label(i)) {
                    correct++;
                }
            }
            return new Result(trainerAccuracy, correct / (double) test.count(), checkpoint);
        }
    }
}
