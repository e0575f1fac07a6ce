/**
 * Models: {@link dev.uff4j.model.ModelSpec} describes one (built with {@link dev.uff4j.model.ModelSpecBuilder}, whose
 * defaults are documented option by option), {@link dev.uff4j.model.Models#create} builds it on a backend, and
 * {@link dev.uff4j.model.Model} is what the trainer steps. A UFF model ({@link dev.uff4j.model.UffModel}) is a stack
 * of {@link dev.uff4j.model.Cell}s, each trained on its own loss from the detached latent of the cell below, and a
 * classifier head on the latents; {@code bp} and {@code ff} are the baselines (back-propagation, Forward-Forward).
 */
package dev.uff4j.model;
