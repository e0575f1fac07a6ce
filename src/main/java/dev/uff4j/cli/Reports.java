package dev.uff4j.cli;

import dev.uff4j.backend.Backend;
import dev.uff4j.data.DatasetId;
import dev.uff4j.model.ModelSpec;
import dev.uff4j.train.EpochStats;
import dev.uff4j.train.TrainResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON reports of {@code train --report} and {@code eval --report}. The field names are a contract that
 * outside checks rely on: add fields, never rename or remove them (see README, "Report fields").
 */
final class Reports {
    private Reports() {
    }

    static Map<String, Object> train(ModelSpec spec, DatasetId dataset, Backend backend, int trainSamples,
                                     int testSamples, TrainResult result) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("command", "train");
        r.put("uff4j_version", Main.version());
        r.put("model", spec.kind().id());
        r.put("dataset", dataset.id());
        r.put("backend", backend.name());
        r.put("backend_description", backend.description());
        r.put("threads", backend.threads());
        r.put("epochs", result.epochs());
        r.put("batch", spec.optimization().batch());
        r.put("seed", spec.seed());
        r.put("train_samples", trainSamples);
        r.put("test_samples", testSamples);
        r.put("test_accuracy", result.testAccuracy());
        r.put("train_seconds", result.trainSeconds());
        r.put("train_samples_per_second", result.samplesPerSecond());
        r.put("config", new LinkedHashMap<String, Object>(spec.toConfig()));
        List<Object> epochs = new ArrayList<>();
        for (EpochStats e : result.epochsDetail()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("stage", e.stage());
            List<Object> cellLosses = new ArrayList<>();
            double headLoss = Double.NaN;
            for (int i = 0; i < e.losses().length; i++) {
                if (e.lossNames().get(i).equals("head")) {
                    headLoss = e.losses()[i];
                } else {
                    cellLosses.add(e.losses()[i]);
                }
            }
            m.put("cell_losses", cellLosses);
            m.put("head_loss", headLoss);
            m.put("train_accuracy", e.trainAccuracy());
            m.put("test_accuracy", e.testAccuracy());
            m.put("seconds", e.seconds());
            m.put("eval_seconds", e.evalSeconds());
            epochs.add(m);
        }
        r.put("epochs_detail", epochs);
        r.put("java", System.getProperty("java.version"));
        r.put("available_processors", Runtime.getRuntime().availableProcessors());
        return r;
    }
}
