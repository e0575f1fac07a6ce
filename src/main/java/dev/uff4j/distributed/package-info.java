/**
 * Cells trained apart, across processes and machines: {@link dev.uff4j.distributed.FederatedAveraging} (per-cell
 * federated averaging, with {@link dev.uff4j.distributed.ClientSplit} to share a training set out), and the engine
 * contracts that run it or the layer pipeline elsewhere: {@link dev.uff4j.distributed.FederatedEngine} (Apache Spark
 * in {@code engines/spark}) and {@link dev.uff4j.distributed.PipelineEngine} (Apache Flink in {@code engines/flink}),
 * found by {@link dev.uff4j.distributed.Engines}. The parts themselves are trained by
 * {@link dev.uff4j.train.CellTrainer} and {@link dev.uff4j.train.HeadTrainer}.
 */
package dev.uff4j.distributed;
