/**
 * Internal: the CPU backend (a pure-Java implementation of every op, with its GEMM kernels and worker pool), reached
 * through {@code dev.uff4j.backend.factory.BackendFactory}. Not API: public only so that other uff4j packages can use
 * it; it may change in any release and is left out of the published javadoc.
 */
package dev.uff4j.backend.cpu;
