package dev.uff4j.backend.cuda;

/**
 * Runs a kernel whose arguments are filled in: {@link ModuleLauncher} on the GPU; in tests, a recorder that needs
 * none, so every launcher of {@link Kernels} can be checked against the kernels' declarations on any machine.
 */
interface KernelLauncher extends AutoCloseable {
    /** Launches {@code kernel} on a grid of {@code gridX x gridY} blocks of {@code blockX x blockY} threads. */
    void launch(Kernel kernel, LaunchArgs args, int gridX, int gridY, int blockX, int blockY);

    @Override
    void close();
}
