/**
 * Data: {@link dev.uff4j.data.Dataset} (samples in memory, labelled or not, from arrays, CSV or image files),
 * {@link dev.uff4j.data.CsvReader}, and the standard datasets ({@link dev.uff4j.data.DatasetId}: MNIST,
 * Fashion-MNIST, CIFAR-10), which {@link dev.uff4j.data.Datasets} reads and {@link dev.uff4j.data.DataFetcher}
 * downloads with their checksums verified.
 */
package dev.uff4j.data;
