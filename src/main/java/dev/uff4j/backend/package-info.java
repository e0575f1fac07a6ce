/**
 * The seam between models and arithmetic: {@link dev.uff4j.backend.Backend} (every op, on tensors it owns),
 * {@link dev.uff4j.backend.Tensor}, the arguments of the ops ({@link dev.uff4j.backend.Epilogue},
 * {@link dev.uff4j.backend.ConvShape}, {@link dev.uff4j.backend.Noise}, {@link dev.uff4j.backend.AdamW}) and
 * {@link dev.uff4j.backend.BackendScope}, which frees what a model allocated when it closes. Most users never call
 * an op: they open a backend with {@link dev.uff4j.backend.factory.BackendFactory} and hand it to a model.
 */
package dev.uff4j.backend;
