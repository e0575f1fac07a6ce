/**
 * Training: {@link dev.uff4j.train.Trainer} runs the epochs, {@link dev.uff4j.train.TrainingListener} follows them
 * (typed {@link dev.uff4j.train.EpochStats} and {@link dev.uff4j.train.BatchStats}) and may stop the run;
 * {@link dev.uff4j.train.EarlyStopping} is a ready listener. {@link dev.uff4j.train.TrainResult} is the outcome.
 */
package dev.uff4j.train;
