package dev.uff4j.examples;

import dev.uff4j.Predictor;
import dev.uff4j.Uff4j;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.checkpoint.ModelCheckpoint;
import dev.uff4j.data.DataSplit;
import dev.uff4j.data.DatasetId;
import dev.uff4j.data.Datasets;
import dev.uff4j.model.Model;
import dev.uff4j.model.ModelKind;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.model.Models;
import dev.uff4j.presets.DatasetPresets;
import dev.uff4j.train.Progress;
import dev.uff4j.train.TrainResult;
import dev.uff4j.train.Trainer;

import java.nio.file.Path;

public class Quickstart {
    public static void main(String[] args) {
        // MNIST, fetched into data/ (and its sha256 sums checked) the first time
        Path data = Path.of(args.length > 0 ? args[0] : "data");
        DataSplit mnist = Datasets.fetchAndLoad(DatasetId.MNIST, data, System.err::println);

        // the model bin/uff4j trains by default: one denoising-autoencoder cell and a linear head
        ModelSpec spec = DatasetPresets.builder(ModelKind.DAE, DatasetId.MNIST).seed(1).build();
        Path checkpoint = Path.of(args.length > 1 ? args[1] : "mnist-dae.uff");
        try (Backend backend = BackendFactory.open(BackendOptions.cpu());  // or auto(): the GPU if there is one
             Model model = Models.create(backend, spec);
             Trainer trainer = new Trainer(backend, model)) {
            TrainResult result = trainer.train(mnist.train(), mnist.test(), 3, Progress.NONE); // 3 epochs
            System.out.printf("test accuracy %.2f%%%n", 100 * result.testAccuracy());          // 96.60%
            ModelCheckpoint.save(checkpoint, model);
        }

        // later, or in another program: load it and predict
        try (Predictor predictor = Uff4j.load(checkpoint)) {
            float[] image = mnist.test().row(0);                           // 784 floats in [0, 1]
            System.out.println("predicted " + predictor.predict(image) + ", label " + mnist.test().label(0));
            float[][] features = predictor.features(mnist.test().rows());   // 10000 x 1000 latents for another learner
            System.out.println(features.length + " x " + features[0].length + " features");
        }
    }
}
