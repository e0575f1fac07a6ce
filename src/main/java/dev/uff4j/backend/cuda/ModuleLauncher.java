package dev.uff4j.backend.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import java.io.IOException;
import java.io.InputStream;

import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;
import static org.bytedeco.cuda.global.cudart.cuModuleUnload;
import static org.bytedeco.cuda.global.cudart.cuStreamSynchronize;

/**
 * Launches the kernels of the fatbin in the jar on one stream: the module is loaded and every {@link Kernel} looked
 * up once, at construction. In debug mode each launch is followed by a synchronisation whose error names the kernel.
 */
final class ModuleLauncher implements KernelLauncher {
    private final CUmod_st module = new CUmod_st();
    private final CUfunc_st[] functions = new CUfunc_st[Kernel.values().length];
    private final CUstream_st stream;
    private final boolean debug;
    private final Runnable afterDebugSync;

    /** @param afterDebugSync runs after each debug-mode synchronisation (the backend checks its error record) */
    ModuleLauncher(CUstream_st stream, boolean debug, Runnable afterDebugSync) {
        this.stream = stream;
        this.debug = debug;
        this.afterDebugSync = afterDebugSync;
        byte[] image = readFatbin();
        BytePointer data = new BytePointer(image.length);
        data.put(image, 0, image.length);
        Driver.check(cuModuleLoadData(module, data), "cuModuleLoadData(uff4j.fatbin)");
        data.close();
        for (Kernel k : Kernel.values()) {
            CUfunc_st f = new CUfunc_st();
            Driver.check(cuModuleGetFunction(f, module, k.symbol()), "cuModuleGetFunction(" + k.symbol() + ")");
            functions[k.ordinal()] = f;
        }
    }

    private static byte[] readFatbin() {
        try (InputStream in = ModuleLauncher.class.getResourceAsStream(CudaProbe.FATBIN)) {
            if (in == null) {
                throw new CudaException("the CUDA kernels were not built into this jar (" + CudaProbe.FATBIN + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CudaException("cannot read " + CudaProbe.FATBIN + ": " + e.getMessage());
        }
    }

    @Override
    public void launch(Kernel kernel, LaunchArgs args, int gridX, int gridY, int blockX, int blockY) {
        Driver.check(cuLaunchKernel(functions[kernel.ordinal()], gridX, gridY, 1, blockX, blockY, 1, 0, stream,
                args.block, (PointerPointer<?>) null), "cuLaunchKernel(" + kernel.symbol() + ")");
        if (debug) {
            Driver.check(cuStreamSynchronize(stream), "kernel " + kernel.symbol() + " (synchronised in debug mode)");
            afterDebugSync.run();
        }
    }

    @Override
    public void close() {
        cuModuleUnload(module);
    }
}
