package dev.uff4j.examples;

import dev.uff4j.Predictor;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.data.CsvReader;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.ModelSpecBuilder;
import dev.uff4j.model.Models;
import dev.uff4j.train.EarlyStopping;
import dev.uff4j.train.Progress;
import dev.uff4j.train.TrainResult;
import dev.uff4j.train.Trainer;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A CSV dataset end to end, in the layout of the well-known "digit recognizer" files: {@code train.csv} with a
 * {@code label} column and 784 pixel columns of 0 to 255, {@code test.csv} with the pixels only. The example writes
 * such files from MNIST (so that it needs nothing else), then does what a user with those files would do: read them,
 * hold out a validation split, train with early stopping, and write {@code submission.csv} with one predicted label
 * per test row.
 *
 * <pre>
 * mvn -q -f examples/basic/pom.xml compile exec:java -Dexec.mainClass=dev.uff4j.examples.CsvEndToEnd \
 *     -Dexec.args="data 10000"
 * </pre>
 */
public final class CsvEndToEnd {
    private CsvEndToEnd() {
    }

    /** What a run measured. */
    public record Result(int trainRows, int testRows, int epochsRun, String stopReason, double validationAccuracy,
                         double testAccuracy, Path submission) {
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args.length > 0 ? args[0] : "data");
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Result r = run(data, Path.of("target", "csv"), rows, 20);
        System.out.printf(Locale.ROOT, "%d training rows, %d epochs (%s); validation %.2f%%, test %.2f%%; wrote %s%n",
                r.trainRows(), r.epochsRun(), r.stopReason() == null ? "all" : r.stopReason(),
                100 * r.validationAccuracy(), 100 * r.testAccuracy(), r.submission());
    }

    public static Result run(Path dataDir, Path workDir, int trainRows, int maxEpochs) throws IOException {
        // The files a user would have (written here from MNIST; the test file has no labels).
        DataSplit mnist = Datasets.fetchAndLoad(DatasetId.MNIST, dataDir, System.err::println);
        Files.createDirectories(workDir);
        Path trainCsv = writeCsv(workDir.resolve("train.csv"), mnist.train().head(trainRows), true);
        Dataset testSet = mnist.test().head(2000);
        Path testCsv = writeCsv(workDir.resolve("test.csv"), testSet, false);

        // Read them: the label column by name; pixels scaled from 0..255 to 0..1.
        Dataset labelled = CsvReader.csv().label("label").scale(1 / 255.0).read(trainCsv);
        Dataset unlabelledTest = CsvReader.csv().scale(1 / 255.0).read(testCsv);
        Dataset.Split parts = labelled.shuffle(1).split(0.9);

        ModelSpec spec = new ModelSpecBuilder(ModelKind.DAE, labelled.features(), labelled.classes()).seed(1).build();
        try (Backend backend = BackendFactory.open(BackendOptions.cpu());
             Model model = Models.create(backend, spec);
             Trainer trainer = new Trainer(backend, model)) {
            EarlyStopping stopping = EarlyStopping.on(parts.second()).patience(2);
            trainer.addListener(stopping);
            TrainResult result = trainer.train(parts.first(), null, maxEpochs, Progress.NONE);

            try (Predictor predictor = Predictor.of(backend, model)) {
                int[] predicted = predictor.predict(unlabelledTest.rows());
                Path submission = workDir.resolve("submission.csv");
                try (BufferedWriter out = Files.newBufferedWriter(submission)) {
                    out.write("ImageId,Label\n");
                    for (int i = 0; i < predicted.length; i++) {
                        out.write((i + 1) + "," + predicted[i] + "\n");
                    }
                }
                int correct = 0;
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == testSet.label(i) ? 1 : 0; // the answers the user would not have
                }
                return new Result(parts.first().count(), predicted.length, result.epochsDetail().size(),
                        result.stopReason(), stopping.bestAccuracy(), correct / (double) predicted.length,
                        submission);
            }
        }
    }

    /** {@code label,pixel0,...,pixel783} (or no label column), pixels as integers 0..255. */
    static Path writeCsv(Path file, Dataset set, boolean withLabels) {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            StringBuilder line = new StringBuilder(withLabels ? "label," : "");
            for (int p = 0; p < set.features(); p++) {
                line.append(p == 0 ? "" : ",").append("pixel").append(p);
            }
            out.write(line.append('\n').toString());
            float[] v = set.values();
            for (int i = 0; i < set.count(); i++) {
                line.setLength(0);
                if (withLabels) {
                    line.append(set.label(i)).append(',');
                }
                for (int p = 0; p < set.features(); p++) {
                    line.append(p == 0 ? "" : ",").append(Math.round(255 * v[i * set.features() + p]));
                }
                out.write(line.append('\n').toString());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
