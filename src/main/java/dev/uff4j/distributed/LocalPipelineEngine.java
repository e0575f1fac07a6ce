package dev.uff4j.distributed;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.factory.BackendFactory;
import dev.uff4j.backend.factory.BackendOptions;
import dev.uff4j.data.Dataset;
import dev.uff4j.data.Datasets;
import dev.uff4j.model.Model;
import dev.uff4j.model.Models;
import dev.uff4j.model.Schedule;
import dev.uff4j.train.PartState;
import dev.uff4j.train.Trainer;

import java.util.List;

/** The layer pipeline in this process: the parallel schedule, a thread and a CPU backend per part. */
final class LocalPipelineEngine implements PipelineEngine {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public List<PartState> train(PipelineJob job) {
        Dataset train = Datasets.load(job.dataset(), job.dataDir()).train().head(job.trainSamples());
        int threads = Integer.parseInt(job.options().getOrDefault("threads", "0"));
        var spec = job.spec().withOptimization(job.spec().optimization().withSchedule(Schedule.PARALLEL));
        try (Backend backend = BackendFactory.open(BackendOptions.cpu().threads(threads), line -> { });
             Model model = Models.create(backend, spec); Trainer trainer = new Trainer(backend, model)) {
            trainer.train(train, job.epochs());
            return FederatedAveraging.parts(model);
        }
    }
}
