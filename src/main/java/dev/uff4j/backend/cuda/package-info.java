/**
 * Internal: the CUDA backend (the hand-written kernels of {@code src/main/cuda}, launched through the JavaCPP CUDA
 * presets), reached through {@code dev.uff4j.backend.factory.BackendFactory} when the presets are on the class path.
 * Not API: public only so that other uff4j packages can use it; it may change in any release and is left out of the
 * published javadoc.
 */
package dev.uff4j.backend.cuda;
