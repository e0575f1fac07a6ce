/**
 * Checkpoints: {@link dev.uff4j.checkpoint.ModelCheckpoint} saves a model's parameters and specification to one file
 * and rebuilds the model from it; {@link dev.uff4j.checkpoint.CheckpointFile} is the file format (a configuration and
 * named float32 tensors, little-endian, checksummed).
 */
package dev.uff4j.checkpoint;
