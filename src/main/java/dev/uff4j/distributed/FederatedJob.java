package dev.uff4j.distributed;

import dev.uff4j.data.Dataset;
import dev.uff4j.model.ModelSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A federated run for a {@link FederatedEngine}: the model, the training set the clients share, the test set
 * measured after each round, the settings and the checkpoint.
 *
 * @param spec       a UFF model's specification
 * @param train      labelled training samples, shared out among the clients ({@link ClientSplit})
 * @param test       labelled samples measured after every round
 * @param settings   clients, rounds, local epochs, split, seed
 * @param checkpoint saved after every round, and resumed from when it exists; null for none
 * @param options    engine options, e.g. {@code master=local[4]}
 * @param faults     clients made to fail, for tests ({@link FederatedAveraging.Faults#NONE} in earnest)
 */
public record FederatedJob(ModelSpec spec, Dataset train, Dataset test, FederatedAveraging.Settings settings,
                           Path checkpoint, Map<String, String> options, FederatedAveraging.Faults faults) {
    /**
     * Checks the arguments.
     *
     * @param spec       the model
     * @param train      the training set
     * @param test       the test set
     * @param settings   the settings
     * @param checkpoint the checkpoint, or null
     * @param options    engine options
     * @param faults     injected failures
     */
    public FederatedJob {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(faults, "faults");
        options = Map.copyOf(options);
        if (!spec.kind().isUff()) {
            throw new IllegalArgumentException("federated averaging here averages the cells of a UFF model (ae, dae, "
                    + "gan, cae), not " + spec.kind().id());
        }
    }
}
