package dev.uff4j.examples.tribuo;

import dev.uff4j.Predictor;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.train.Trainer;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.nio.file.Path;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A UFF encoder as the feature extractor of a Tribuo classifier: the cells of a denoising-autoencoder model train
 * on the images without their labels (UFF cells need none), a {@link Predictor} turns every image into the cells'
 * latent vector, and Tribuo's logistic regression (linear, SGD with AdaGrad) learns the classes from those vectors.
 * The same Tribuo trainer on the raw pixels is the baseline: the gap is what the cells contribute.
 *
 * <pre>
 * mvn -q -f examples/tribuo/pom.xml compile exec:java -Dexec.args="data 60000 3"
 * </pre>
 *
 * Arguments: the data directory (MNIST is fetched into it when missing), how many training images (default 60000),
 * and the epochs of the UFF cells and of Tribuo's SGD (default 3).
 */
public final class UffFeaturesForTribuo {
    /** Tribuo logs every thousand SGD steps at INFO; warnings are enough here (held so it is not collected). */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    private UffFeaturesForTribuo() {
    }

    /** Tribuo's test accuracy on the UFF features and on the raw pixels. */
    public record Result(int trainImages, int testImages, int featureSize, double uffFeatures, double rawPixels) {
    }

    public static void main(String[] args) {
        Path data = Path.of(args.length > 0 ? args[0] : "data");
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Result r = run(data, images, epochs);
        System.out.printf(Locale.ROOT, "Tribuo logistic regression, %d training images, %d test images, %d epochs:%n"
                + "  on %d UFF features: %.2f%%%n  on %d raw pixels:    %.2f%%%n", r.trainImages(), r.testImages(),
                epochs, r.featureSize(), 100 * r.uffFeatures(), 784, 100 * r.rawPixels());
    }

    public static Result run(Path dataDir, int images, int epochs) {
        TRIBUO_LOG.setLevel(Level.WARNING);
        DataSplit mnist = Datasets.fetchAndLoad(DatasetId.MNIST, dataDir, System.err::println);
        Dataset train = mnist.train().head(Math.min(images, mnist.train().count()));
        Dataset test = mnist.test();

        // The cells learn from the images alone: no label reaches them.
        ModelSpec spec = DatasetPresets.builder(ModelKind.DAE, DatasetId.MNIST).seed(3).build();
        float[][] trainFeatures;
        float[][] testFeatures;
        int featureSize;
        try (Backend backend = BackendFactory.open(BackendOptions.auto());
             Model model = Models.create(backend, spec);
             Trainer trainer = new Trainer(backend, model);
             Predictor encoder = Predictor.of(backend, model)) {
            trainer.train(train.withoutLabels(), epochs);
            trainFeatures = encoder.features(train.rows());
            testFeatures = encoder.features(test.rows());
            featureSize = encoder.featureSize();
        }

        double uff = tribuoAccuracy(trainFeatures, train, testFeatures, test, epochs);
        double raw = tribuoAccuracy(train.rows(), train, test.rows(), test, epochs);
        return new Result(train.count(), test.count(), featureSize, uff, raw);
    }

    /** Trains Tribuo's logistic regression on {@code trainRows} and measures it on {@code testRows}. */
    static double tribuoAccuracy(float[][] trainRows, Dataset train, float[][] testRows, Dataset test, int epochs) {
        String[] names = featureNames(trainRows[0].length);
        MutableDataset<Label> trainSet = tribuoSet("train", trainRows, train, names);
        MutableDataset<Label> testSet = tribuoSet("test", testRows, test, names);
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), epochs, 1L);
        org.tribuo.Model<Label> model = trainer.train(trainSet);
        return new LabelEvaluator().evaluate(model, testSet).accuracy();
    }

    private static MutableDataset<Label> tribuoSet(String name, float[][] rows, Dataset labels, String[] names) {
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> set = new MutableDataset<>(new SimpleDataSourceProvenance(name, factory), factory);
        double[] values = new double[names.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < values.length; j++) {
                values[j] = rows[i][j];
            }
            set.add(new ArrayExample<>(new Label(Integer.toString(labels.label(i))), names, values));
        }
        return set;
    }

    /** {@code f0000, f0001, ...}: names that sort in column order. */
    private static String[] featureNames(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = String.format(Locale.ROOT, "f%04d", i);
        }
        return names;
    }
}
