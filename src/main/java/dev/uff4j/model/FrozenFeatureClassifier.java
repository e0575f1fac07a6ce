package dev.uff4j.model;

import dev.uff4j.backend.Backend;
import dev.uff4j.backend.BackendScope;
import dev.uff4j.backend.Tensor;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A classifier head trained on fixed features: the raw input (the floor any cell must beat) or a trained model's
 * latents (a linear probe of what the cells learned). It shares the trainer, batch size, learning rate and seed
 * of the model it is compared with, so the only difference is what the head reads.
 */
public final class FrozenFeatureClassifier implements Model {
    private final ModelSpec spec;
    private final UnaryOperator<Tensor> features;
    private final int featureSize;
    private final ClassifierHead head;
    /** The head's tensors, freed by {@link #close}; the features' model is not this classifier's to close. */
    private final BackendScope scope;

    private FrozenFeatureClassifier(Backend backend, ModelSpec like, UnaryOperator<Tensor> features, int featureSize,
                                    int headHidden, String seedPart) {
        this.spec = like;
        this.features = features;
        this.featureSize = featureSize;
        this.scope = new BackendScope(backend);
        try {
            this.head = new ClassifierHead(scope, featureSize, headHidden, like.classes(),
                    like.optimization().optimizer(), like.optimization().batch(),
                    Seeds.derive(like.seed(), seedPart, 0));
        } catch (RuntimeException | Error e) {
            scope.close();
            throw e;
        }
    }

    /**
     * The head of {@code like} (same hidden width) on the raw input.
     *
     * @param backend where the head's tensors live
     * @param like    the spec of the compared model: its classes, head width, optimizer, batch and seed
     * @return a new classifier with freshly drawn weights, in one training stage; close it to free the head
     * @throws NullPointerException if either argument is null
     */
    public static FrozenFeatureClassifier onRawInput(Backend backend, ModelSpec like) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(like, "like");
        return new FrozenFeatureClassifier(backend, pipelined(like), x -> x, like.inputSize(), like.head().hidden(),
                "raw-head");
    }

    /**
     * A linear head on the frozen features {@code model} gives its own head.
     *
     * @param backend where the head's tensors live
     * @param model   the trained model whose {@link Model#features} the head reads (computed again on every call);
     *                it must stay open while the probe is used; its parameters are not changed
     * @return a new classifier with freshly drawn weights, in one training stage; close it to free the head
     * @throws NullPointerException if either argument is null
     */
    public static FrozenFeatureClassifier linearProbe(Backend backend, Model model) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
        return new FrozenFeatureClassifier(backend, pipelined(model.spec()), model::features, model.featureSize(), 0,
                "probe");
    }

    /** {@code s} with a head on every cell, trained in one stage: a head of its own, like the compared one's. */
    private static ModelSpec pipelined(ModelSpec s) {
        return s.withHead(new ModelSpec.Head(s.head().hidden(), HeadInput.ALL))
                .withOptimization(s.optimization().withSchedule(Schedule.PIPELINED));
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public void trainBatch(int stage, Tensor x, Tensor labels) {
        spec.checkBatch("trainBatch", x);
        head.trainStep(features.apply(x), labels);
    }

    @Override
    public void setLrScale(int stage, float scale) {
        head.parameters().setLrScale(scale);
    }

    @Override
    public Tensor logits(Tensor x) {
        spec.checkBatch("logits", x);
        return head.logits(features.apply(x));
    }

    @Override
    public Tensor features(Tensor x) {
        spec.checkBatch("features", x);
        return features.apply(x);
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public List<String> lossNames() {
        return List.of("head");
    }

    @Override
    public TrainMetrics takeMetrics() {
        return head.takeMetrics();
    }

    @Override
    public String nonFiniteLoss() {
        return head.losses().firstNonFinite() >= 0 ? "head" : null;
    }

    @Override
    public Map<String, ParameterSet> parameterGroups() {
        return Map.of("head", head.parameters());
    }

    /** Frees the head's tensors; the model whose features it reads stays open. */
    @Override
    public void close() {
        scope.close();
    }
}
