/**
 * Opening a backend: {@link dev.uff4j.backend.factory.BackendOptions} says which one and how it computes,
 * {@link dev.uff4j.backend.factory.BackendFactory} finds the implementations at run time through
 * {@link dev.uff4j.backend.factory.BackendProvider} ({@link java.util.ServiceLoader}), so that the CPU backend needs
 * nothing CUDA on the class path.
 */
package dev.uff4j.backend.factory;
