/**
 * uff4j: Unsupervised Forward-Forward training for the JVM. Each layer is a cell (an autoencoder, a denoising or
 * convolutional autoencoder, or a GAN) trained on its own local loss; no gradient crosses a cell boundary.
 *
 * <p>Where to start:
 * <ul>
 *   <li>{@link dev.uff4j.Uff4j#load} and {@link dev.uff4j.Predictor}: use a trained model on {@code float[]} rows;</li>
 *   <li>{@link dev.uff4j.data.Dataset} and {@link dev.uff4j.data.CsvReader}: data from arrays or CSV;
 *       {@link dev.uff4j.data.Datasets}: MNIST, Fashion-MNIST and CIFAR-10 files;</li>
 *   <li>{@link dev.uff4j.model.ModelSpecBuilder} and {@link dev.uff4j.model.Models}: describe and build a model;
 *       {@link dev.uff4j.presets.DatasetPresets}: the tuned defaults per dataset;</li>
 *   <li>{@link dev.uff4j.train.Trainer}, {@link dev.uff4j.train.TrainingListener},
 *       {@link dev.uff4j.train.EarlyStopping}: train it;</li>
 *   <li>{@link dev.uff4j.checkpoint.ModelCheckpoint}: save and load it;</li>
 *   <li>{@link dev.uff4j.backend.factory.BackendOptions} and {@link dev.uff4j.backend.factory.BackendFactory}: the CPU,
 *       or the GPU when the CUDA presets ({@code dev.uff4j:uff4j-cuda}) are on the class path.</li>
 * </ul>
 *
 * Packages documented as internal ({@code cli}, {@code io}, {@code report}, {@code backend.cpu},
 * {@code backend.cuda}, {@code backend.support}) are not API: they are public only for other uff4j packages and
 * may change in any release.
 */
package dev.uff4j;
