/**
 * The defaults that depend on the dataset as well as the model ({@link dev.uff4j.presets.DatasetPresets}), each
 * with the measurement that chose it in {@code docs/}.
 */
package dev.uff4j.presets;
