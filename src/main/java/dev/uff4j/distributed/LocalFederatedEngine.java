package dev.uff4j.distributed;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;

import java.util.function.Consumer;

/** Federated averaging in this process, clients one after the other: {@link FederatedAveraging#simulate}. */
final class LocalFederatedEngine implements FederatedEngine {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public FederatedAveraging.Result run(FederatedJob job, Consumer<FederatedAveraging.RoundReport> onRound) {
        int threads = Integer.parseInt(job.options().getOrDefault("threads", "0"));
        try (Backend backend = BackendFactory.open(BackendOptions.cpu().threads(threads), line -> { })) {
            return FederatedAveraging.simulate(backend, job.spec(), job.train(), job.test(), job.settings(),
                    job.faults(), job.checkpoint(), onRound);
        }
    }
}
