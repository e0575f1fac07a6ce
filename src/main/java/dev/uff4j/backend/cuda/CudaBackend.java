package dev.uff4j.backend.cuda;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.support.AdamWStep;
import dev.uff4j.backend.Backend;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.Epilogue;
import dev.uff4j.backend.Noise;
import dev.uff4j.backend.support.Shapes;
import dev.uff4j.backend.Tensor;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.bytedeco.cuda.global.cudart.CU_STREAM_NON_BLOCKING;
import static org.bytedeco.cuda.global.cudart.cuCtxSetCurrent;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRelease;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRetain;
import static org.bytedeco.cuda.global.cudart.cuMemAlloc;
import static org.bytedeco.cuda.global.cudart.cuMemAllocHost;
import static org.bytedeco.cuda.global.cudart.cuMemFree;
import static org.bytedeco.cuda.global.cudart.cuMemFreeHost;
import static org.bytedeco.cuda.global.cudart.cuMemGetInfo;
import static org.bytedeco.cuda.global.cudart.cuMemcpyDtoDAsync;
import static org.bytedeco.cuda.global.cudart.cuMemcpyDtoHAsync;
import static org.bytedeco.cuda.global.cudart.cuMemcpyHtoDAsync;
import static org.bytedeco.cuda.global.cudart.cuMemsetD32Async;
import static org.bytedeco.cuda.global.cudart.cuStreamCreate;
import static org.bytedeco.cuda.global.cudart.cuStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cuStreamSynchronize;

/**
 * The GPU backend: every op is one or two launches of uff4j's own kernels ({@code src/main/cuda}, loaded from the
 * jar) or a cuBLAS product, queued on one stream. Nothing waits for the GPU except {@link #download} and
 * {@link #synchronize}: weights, optimizer state, activations and the loss accumulators stay on the device, and
 * mini-batches arrive through pinned buffers with asynchronous copies, so the host gathers the next batch while
 * the GPU works on the last.
 *
 * <p>Bad labels are found on the device; they are reported at the next {@link #download} or {@link #synchronize}
 * (at once in debug mode) as the same {@link IllegalArgumentException} the CPU backend throws.
 */
final class CudaBackend implements Backend {
    private static final long CHUNK_FLOATS = 1L << 22; // host copies in pieces of 16 MiB of pinned memory
    /** Scratch of one convolution chunk (patch matrix and product): 64 MiB, a whole batch for most layers. */
    private static final long CONV_CHUNK_FLOATS = 1L << 24;
    private final CudaOptions options;
    private final String device;
    private final CUctx_st context = new CUctx_st();
    private final int ordinal;
    private final CUstream_st stream = new CUstream_st();
    /** Device allocations not yet freed, in allocation order. */
    private final Set<Long> allocations = new LinkedHashSet<>();
    private final HostStaging staging;
    private final Kernels kernels;
    private final MatMul matMul;
    private final long errorRecord;
    private final IntPointer errorHost;
    private final AdamWStep adamWStep = new AdamWStep();
    private long rowScratch;
    private int rowScratchRows;
    private final Scratch convCols = new Scratch("conv patches");
    private final Scratch convProduct = new Scratch("conv product");
    private final Scratch convDw = new Scratch("conv dw");
    private Thread boundThread;
    private boolean closed;

    /**
     * Opens device {@code options.device()}; the probe must have found a GPU.
     *
     * @throws IllegalStateException when there is no usable GPU (the message gives the probe's reason)
     */
    public CudaBackend(CudaOptions options) {
        CudaProbe.Result probe = CudaProbe.probe();
        if (!probe.available()) {
            throw new IllegalStateException("the cuda backend is not available: " + probe.reason());
        }
        this.options = options;
        this.device = probe.device();
        int[] dev = new int[1];
        Driver.check(cuDeviceGet(dev, options.device()), "cuDeviceGet(" + options.device() + ")");
        this.ordinal = dev[0];
        Driver.check(cuDevicePrimaryCtxRetain(context, ordinal), "cuDevicePrimaryCtxRetain");
        bind();
        Driver.check(cuStreamCreate(stream, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
        this.staging = new HostStaging(stream);
        this.kernels = new Kernels(new ModuleLauncher(stream, options.debug(), this::checkDeviceErrors));
        this.errorRecord = allocate(8);
        Pointer pinned = new Pointer();
        Driver.check(cuMemAllocHost(pinned, 8 * Integer.BYTES), "cuMemAllocHost(error record)");
        this.errorHost = new IntPointer(pinned).capacity(8).limit(8);
        Driver.check(cuMemsetD32Async(errorRecord, 0, 8, stream), "cuMemsetD32Async(error record)");
        this.matMul = openMatMul();
    }

    private MatMul openMatMul() {
        if (options.gemm().equals("kernel")) {
            return new KernelMatMul(kernels);
        }
        try {
            return CublasMatMul.open(stream, options.tf32());
        } catch (CudaException e) {
            if (options.gemm().equals("cublas")) {
                throw e;
            }
            return new KernelMatMul(kernels);
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return "cuda: " + device + ", GEMM " + matMul.name() + (options.debug() ? ", debug (synchronous)" : "");
    }

    /** The device's free memory, as the driver reports it ({@code cuMemGetInfo}). */
    @Override
    public long freeMemory() {
        bind();
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            Driver.check(cuMemGetInfo(free, total), "cuMemGetInfo");
            return free.get();
        }
    }

    /** The GEMM in use: {@code cublas fp32}, {@code cublas tf32} or {@code kernel}. */
    public String gemmName() {
        return matMul.name();
    }

    @Override
    public int threads() {
        return 1;
    }

    // ------------------------------------------------------------------ memory and transfers

    /** Makes the context current on the calling thread (once per thread switch). */
    private void bind() {
        Thread t = Thread.currentThread();
        if (t != boundThread) {
            if (closed) {
                throw new IllegalStateException("the cuda backend is closed");
            }
            Driver.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
            boundThread = t;
        }
    }

    private long allocate(long floats) {
        long[] address = new long[1];
        Driver.check(cuMemAlloc(address, floats * Float.BYTES), "cuMemAlloc(" + floats * Float.BYTES + " bytes)");
        allocations.add(address[0]);
        return address[0];
    }

    @Override
    public Tensor zeros(int rows, int cols) {
        bind();
        int n = Shapes.allocation(rows, cols);
        long address = allocate(n);
        Driver.check(cuMemsetD32Async(address, 0, n, stream), "cuMemsetD32Async(zeros)");
        CudaTensor t = new CudaTensor(this, address, rows, cols);
        t.allocation = true;
        return t;
    }

    /**
     * Waits for the stream (kernels queued on the tensor must finish first), then returns its memory to the device.
     */
    @Override
    public void free(Tensor t) {
        Shapes.given("free", "t", t);
        CudaTensor c = cuda(t);
        if (closed) {
            return; // closing freed every allocation
        }
        if (!c.allocation || !allocations.contains(c.address)) {
            throw new IllegalArgumentException("free: " + c + " is a view or was freed before; only a tensor that "
                    + "zeros made can be freed, once");
        }
        bind();
        Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize(free)");
        c.allocation = false;
        allocations.remove(c.address);
        Driver.check(cuMemFree(c.address), "cuMemFree");
    }

    @Override
    public void upload(float[] src, int srcOffset, Tensor dst) {
        Shapes.upload(src, srcOffset, dst);
        CudaTensor d = cuda(dst);
        bind();
        long size = d.size();
        for (long done = 0; done < size; done += CHUNK_FLOATS) {
            int n = (int) Math.min(CHUNK_FLOATS, size - done);
            HostStaging.Slot s = staging.acquire(n);
            s.buffer.put(src, srcOffset + (int) done, n);
            copyToDevice(s, d.address + 4 * done, n);
        }
    }

    private void copyToDevice(HostStaging.Slot s, long address, long floats) {
        Driver.check(cuMemcpyHtoDAsync(address, s.floats.position(0), floats * Float.BYTES, stream),
                "cuMemcpyHtoDAsync");
        staging.release(s);
    }

    @Override
    public void uploadRows(float[] src, int[] rowIndex, int from, Tensor dst) {
        Shapes.uploadRows(src, rowIndex, from, dst);
        CudaTensor d = cuda(dst);
        bind();
        int n = d.cols();
        HostStaging.Slot s = staging.acquire((long) d.rows() * n);
        for (int r = 0; r < d.rows(); r++) {
            s.buffer.put(src, rowIndex[from + r] * n, n);
        }
        copyToDevice(s, d.address, (long) d.rows() * n);
    }

    @Override
    public void uploadLabels(int[] labels, int[] rowIndex, int from, Tensor dst) {
        Shapes.uploadLabels(labels, rowIndex, from, dst);
        CudaTensor d = cuda(dst);
        bind();
        int n = d.rows();
        HostStaging.Slot s = staging.acquire(n);
        for (int r = 0; r < n; r++) {
            s.buffer.put(labels[rowIndex[from + r]]);
        }
        copyToDevice(s, d.address, n);
    }

    @Override
    public void download(Tensor src, float[] dst, int dstOffset) {
        Shapes.download(src, dst, dstOffset);
        CudaTensor s = cuda(src);
        bind();
        long size = s.size();
        for (long done = 0; done < size; done += CHUNK_FLOATS) {
            int n = (int) Math.min(CHUNK_FLOATS, size - done);
            HostStaging.Slot slot = staging.acquire(n);
            Driver.check(cuMemcpyDtoHAsync(slot.floats.position(0), s.address + 4 * done, (long) n * Float.BYTES,
                    stream), "cuMemcpyDtoHAsync");
            Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize(download)");
            slot.buffer.get(dst, dstOffset + (int) done, n);
        }
        checkDeviceErrors();
    }

    @Override
    public void fill(Tensor t, float value) {
        Shapes.fill(t);
        CudaTensor c = cuda(t);
        bind();
        Driver.check(cuMemsetD32Async(c.address, Float.floatToRawIntBits(value), c.size(), stream),
                "cuMemsetD32Async(fill)");
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Shapes.copy(src, dst);
        CudaTensor s = cuda(src);
        CudaTensor d = cuda(dst);
        bind();
        Driver.check(cuMemcpyDtoDAsync(d.address, s.address, (long) s.size() * Float.BYTES, stream),
                "cuMemcpyDtoDAsync(copy)");
    }

    @Override
    public void copyColumns(Tensor src, Tensor dst, int col) {
        Shapes.copyColumns(src, dst, col);
        CudaTensor s = cuda(src);
        CudaTensor d = cuda(dst);
        bind();
        kernels.copyColumns(s.address, d.address, s.rows(), s.cols(), d.cols(), col);
    }

    @Override
    public void addColumns(Tensor src, int col, Tensor dst) {
        Shapes.addColumns(src, col, dst);
        CudaTensor s = cuda(src);
        CudaTensor d = cuda(dst);
        bind();
        kernels.addColumns(s.address, d.address, d.rows(), s.cols(), d.cols(), col);
    }

    // ------------------------------------------------------------------ dense layers

    @Override
    public void denseForward(Tensor x, Tensor w, Tensor b, Epilogue epilogue, Tensor out, Tensor deriv,
                             Tensor rowScale) {
        Shapes.denseForward(x, w, b, epilogue, out, deriv, rowScale);
        CudaTensor xt = cuda(x);
        CudaTensor wt = cuda(w);
        CudaTensor ot = cuda(out);
        bind();
        int n = xt.rows();
        int in = xt.cols();
        int outDim = wt.cols();
        matMul.multiply(false, false, n, outDim, in, xt, in, wt, outDim, ot, outDim);
        kernels.denseEpilogue(ot.address, cuda(b).address, address(deriv), address(rowScale), n, outDim,
                epilogue.activation().code(), epilogue.topK(), epilogue.layerNorm());
    }

    @Override
    public void keepTopKPerColumn(Tensor out, Tensor deriv, int k) {
        Shapes.keepTopKPerColumn(out, deriv, k);
        CudaTensor o = cuda(out);
        CudaTensor d = cuda(deriv);
        bind();
        if (k < o.rows()) {
            kernels.columnTopK(o.address, d.address, o.rows(), o.cols(), k);
        }
    }

    @Override
    public void epilogueBackward(Tensor dOut, Tensor out, Tensor deriv, Tensor rowScale, Epilogue epilogue,
                                 Tensor dz) {
        Shapes.epilogueBackward(dOut, out, deriv, rowScale, epilogue, dz);
        CudaTensor g = cuda(dOut);
        bind();
        kernels.epilogueBackward(g.address, cuda(out).address, cuda(deriv).address,
                epilogue.layerNorm() ? cuda(rowScale).address : 0L, cuda(dz).address, g.rows(), g.cols(),
                epilogue.layerNorm());
    }

    @Override
    public void mulMask(Tensor x, Tensor mask, Tensor out) {
        Shapes.mulMask(x, mask, out);
        CudaTensor xt = cuda(x);
        bind();
        kernels.mulMask(xt.address, cuda(mask).address, cuda(out).address, xt.size());
    }

    @Override
    public void denseBackward(Tensor x, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        Shapes.denseBackward(x, w, dz, dw, db, dx);
        CudaTensor xt = cuda(x);
        CudaTensor wt = cuda(w);
        CudaTensor zt = cuda(dz);
        bind();
        int n = xt.rows();
        int in = xt.cols();
        int outDim = wt.cols();
        matMul.multiply(true, false, in, outDim, n, xt, in, zt, outDim, cuda(dw), outDim);
        kernels.columnSum(zt.address, cuda(db).address, n, outDim);
        if (dx != null) {
            matMul.multiply(false, true, n, in, outDim, zt, outDim, wt, outDim, cuda(dx), in);
        }
    }

    // ------------------------------------------------------------------ convolutional layers

    /**
     * Per chunk of samples: {@code im2col}, {@code Z = w·cols} through the GEMM, {@code conv_bias_activation}
     * (see conv_kernels.cu and the CPU's ConvKernels, which chunk and lay out the same way).
     */
    @Override
    public void conv2dForward(Tensor x, ConvShape s, Tensor w, Tensor b, Activation act, Tensor out, Tensor deriv) {
        Shapes.conv2dForward(x, s, w, b, act, out, deriv);
        CudaTensor xt = cuda(x);
        CudaTensor wt = cuda(w);
        long bias = cuda(b).address;
        long outAddress = cuda(out).address;
        long derivAddress = address(deriv);
        bind();
        int n = xt.rows();
        int chunk = s.samplesPerChunk(n, CONV_CHUNK_FLOATS);
        int positions = s.outHeight() * s.outWidth();
        int patch = s.patch();
        int outC = s.outChannels();
        CudaTensor cols = convCols.ensure((long) patch * chunk * positions);
        CudaTensor z = convProduct.ensure((long) outC * chunk * positions);
        for (int first = 0; first < n; first += chunk) {
            int m = Math.min(chunk, n - first);
            int columns = m * positions;
            kernels.im2col(xt.address + 4L * first * s.inSize(), cols.address, m, s.inChannels(), s.height(),
                    s.width(), s.kernel(), s.stride(), s.padding(), s.outHeight(), s.outWidth());
            matMul.multiply(false, false, outC, columns, patch, wt, patch, cols, columns, z, columns);
            long rows = 4L * first * s.outSize();
            long d = derivAddress == 0L ? 0L : derivAddress + rows;
            kernels.convBiasActivation(z.address, bias, outAddress + rows, d, m, outC, positions, act.code());
        }
    }

    /**
     * {@code conv_bias_grad} over the batch, then per chunk: {@code conv_gather_dz}, {@code im2col},
     * {@code dw = Zd·colsᵀ} (chunks after the first into scratch, added in chunk order by {@code add_columns}), and
     * for dx {@code dcols = wᵀ·Zd} into the patch matrix's memory and the {@code col2im} gather.
     */
    @Override
    public void conv2dBackward(Tensor x, ConvShape s, Tensor w, Tensor dz, Tensor dw, Tensor db, Tensor dx) {
        Shapes.conv2dBackward(x, s, w, dz, dw, db, dx);
        CudaTensor xt = cuda(x);
        CudaTensor wt = cuda(w);
        CudaTensor zt = cuda(dz);
        CudaTensor dwt = cuda(dw);
        long dbAddress = cuda(db).address;
        long dxAddress = address(dx);
        bind();
        int n = xt.rows();
        int chunk = s.samplesPerChunk(n, CONV_CHUNK_FLOATS);
        int positions = s.outHeight() * s.outWidth();
        int patch = s.patch();
        int outC = s.outChannels();
        kernels.convBiasGrad(zt.address, dbAddress, n, outC, positions);
        CudaTensor cols = convCols.ensure((long) patch * chunk * positions);
        CudaTensor zd = convProduct.ensure((long) outC * chunk * positions);
        CudaTensor partial = chunk < n ? convDw.ensure((long) outC * patch) : null;
        for (int first = 0; first < n; first += chunk) {
            int m = Math.min(chunk, n - first);
            int columns = m * positions;
            kernels.convGatherDz(zt.address + 4L * first * s.outSize(), zd.address, m, outC, positions);
            long input = 4L * first * s.inSize();
            kernels.im2col(xt.address + input, cols.address, m, s.inChannels(), s.height(), s.width(), s.kernel(),
                    s.stride(), s.padding(), s.outHeight(), s.outWidth());
            if (first == 0) {
                matMul.multiply(false, true, outC, patch, columns, zd, columns, cols, columns, dwt, patch);
            } else {
                matMul.multiply(false, true, outC, patch, columns, zd, columns, cols, columns, partial, patch);
                kernels.addColumns(partial.address, dwt.address, 1, outC * patch, outC * patch, 0);
            }
            if (dxAddress != 0L) {
                matMul.multiply(true, false, patch, columns, outC, wt, patch, zd, columns, cols, columns);
                kernels.col2im(cols.address, dxAddress + input, m, s.inChannels(), s.height(), s.width(), s.kernel(),
                        s.stride(), s.padding(), s.outHeight(), s.outWidth());
            }
        }
    }

    @Override
    public void maxPool2dForward(Tensor x, int channels, int height, int width, int size, Tensor out,
                                 Tensor argmax) {
        Shapes.maxPool2dForward(x, channels, height, width, size, out, argmax);
        CudaTensor xt = cuda(x);
        long o = cuda(out).address;
        long a = cuda(argmax).address;
        bind();
        kernels.maxPoolForward(xt.address, o, a, xt.rows(), channels, height, width, size);
    }

    /** Zeroes dx, then {@code max_pool_backward} writes each window's gradient at its arg-max. */
    @Override
    public void maxPool2dBackward(Tensor dOut, Tensor argmax, Tensor dx) {
        Shapes.maxPool2dBackward(dOut, argmax, dx);
        CudaTensor g = cuda(dOut);
        long a = cuda(argmax).address;
        CudaTensor d = cuda(dx);
        bind();
        Driver.check(cuMemsetD32Async(d.address, 0, d.size(), stream), "cuMemsetD32Async(maxPool2dBackward)");
        kernels.maxPoolBackward(g.address, a, d.address, g.rows(), g.cols(), d.cols(), errorRecord);
    }

    @Override
    public void upsample2dForward(Tensor x, int channels, int height, int width, int factor, Tensor out) {
        Shapes.upsample2dForward(x, channels, height, width, factor, out);
        CudaTensor xt = cuda(x);
        long o = cuda(out).address;
        bind();
        kernels.upsampleForward(xt.address, o, xt.rows(), channels, height, width, factor);
    }

    @Override
    public void upsample2dBackward(Tensor dOut, int channels, int height, int width, int factor, Tensor dx) {
        Shapes.upsample2dBackward(dOut, channels, height, width, factor, dx);
        long g = cuda(dOut).address;
        CudaTensor d = cuda(dx);
        bind();
        kernels.upsampleBackward(g, d.address, d.rows(), channels, height, width, factor);
    }

    // ------------------------------------------------------------------ losses and metrics

    @Override
    public void mseLoss(Tensor out, Tensor target, Tensor deriv, Tensor dz, Tensor acc, int slot) {
        Shapes.mseLoss(out, target, deriv, dz, acc, slot);
        CudaTensor o = cuda(out);
        bind();
        long rows = rowScratch(o.rows(), 1);
        kernels.mseRows(o.address, cuda(target).address, cuda(deriv).address, cuda(dz).address, o.rows(), o.cols(),
                2f / o.size(), rows);
        kernels.finishSum(rows, o.rows(), 1.0, o.size(), cuda(acc).address, slot);
    }

    @Override
    public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dLogits, Tensor acc, int slot) {
        Shapes.softmaxCrossEntropy(logits, labels, dLogits, acc, slot);
        CudaTensor z = cuda(logits);
        bind();
        int n = z.rows();
        long loss = rowScratch(n, 2);
        long hits = loss + 8L * n;
        kernels.softmaxCrossEntropy(z.address, cuda(labels).address, cuda(dLogits).address, n, z.cols(), 1f / n,
                loss, hits, errorRecord);
        long a = cuda(acc).address;
        kernels.finishSum(loss, n, 1.0, n, a, slot);
        kernels.finishSum(hits, n, 1.0, 1.0, a, slot + 1);
    }

    @Override
    public void countCorrect(Tensor logits, Tensor labels, Tensor acc, int slot) {
        Shapes.countCorrect(logits, labels, acc, slot);
        CudaTensor z = cuda(logits);
        bind();
        long hits = rowScratch(z.rows(), 1);
        kernels.countCorrect(z.address, cuda(labels).address, z.rows(), z.cols(), hits, errorRecord);
        kernels.finishSum(hits, z.rows(), 1.0, 1.0, cuda(acc).address, slot);
    }

    @Override
    public void argmaxRows(Tensor logits, Tensor out) {
        Shapes.argmaxRows(logits, out);
        CudaTensor z = cuda(logits);
        bind();
        kernels.argmaxRows(z.address, cuda(out).address, z.rows(), z.cols());
    }

    @Override
    public void l1Penalty(Tensor a, float lambda, Tensor grad, Tensor acc, int slot) {
        Shapes.l1Penalty(a, grad, acc, slot);
        CudaTensor at = cuda(a);
        bind();
        long rows = rowScratch(at.rows(), 1);
        kernels.l1Rows(at.address, cuda(grad).address, at.rows(), at.cols(), lambda / at.rows(), rows);
        kernels.finishSum(rows, at.rows(), lambda, at.rows(), cuda(acc).address, slot);
    }

    // ------------------------------------------------------------------ Forward-Forward

    @Override
    public void overlayLabels(Tensor x, Tensor labels, int classes, float value, Tensor out) {
        Shapes.overlayLabels(x, labels, classes, out);
        CudaTensor xt = cuda(x);
        bind();
        kernels.overlayLabels(xt.address, address(labels), cuda(out).address, xt.rows(), xt.cols(), classes, value,
                errorRecord);
    }

    @Override
    public void wrongLabels(Tensor labels, int classes, long seed, long streamId, Tensor out) {
        Shapes.wrongLabels(labels, classes, out);
        CudaTensor lt = cuda(labels);
        bind();
        kernels.wrongLabels(lt.address, cuda(out).address, lt.rows(), classes, Noise.streamKey(seed, streamId),
                errorRecord);
    }

    @Override
    public void sampleWrongLabels(Tensor scores, Tensor labels, float temperature, long seed, long streamId,
                                  Tensor out) {
        Shapes.sampleWrongLabels(scores, labels, temperature, out);
        CudaTensor lt = cuda(labels);
        bind();
        kernels.sampleWrongLabels(cuda(scores).address, lt.address, cuda(out).address, lt.rows(), cuda(scores).cols(),
                temperature, Noise.streamKey(seed, streamId), errorRecord);
    }

    @Override
    public void normalizeRows(Tensor x, Tensor out) {
        Shapes.normalizeRows(x, out);
        CudaTensor xt = cuda(x);
        bind();
        kernels.normalizeRows(xt.address, cuda(out).address, xt.rows(), xt.cols());
    }

    @Override
    public void goodnessLoss(Tensor h, float scale, float threshold, Tensor dh, Tensor acc, int slot) {
        Shapes.goodnessLoss(h, scale, dh, acc, slot);
        CudaTensor ht = cuda(h);
        bind();
        long rows = rowScratch(ht.rows(), 1);
        kernels.goodnessLoss(ht.address, cuda(dh).address, ht.rows(), ht.cols(), scale, threshold, rows);
        kernels.finishSum(rows, ht.rows(), 1.0, ht.rows(), cuda(acc).address, slot);
    }

    @Override
    public void addGoodness(Tensor h, Tensor scores, int col) {
        Shapes.addGoodness(h, scores, col);
        CudaTensor ht = cuda(h);
        CudaTensor st = cuda(scores);
        bind();
        kernels.addGoodness(ht.address, st.address, ht.rows(), ht.cols(), st.cols(), col);
    }

    // ------------------------------------------------------------------ noise and optimisation

    @Override
    public void corrupt(Tensor x, Noise noise, long seed, long streamId, Tensor out) {
        Shapes.corrupt(x, noise, out);
        if (noise.isNone()) {
            copy(x, out);
            return;
        }
        CudaTensor xt = cuda(x);
        bind();
        kernels.corrupt(xt.address, cuda(out).address, xt.size(), Noise.streamKey(seed, streamId),
                noise.gaussianStd(), noise.maskProb());
    }

    @Override
    public void randn(Tensor out, float mean, float std, long seed, long streamId) {
        Shapes.randn(out, mean, std);
        CudaTensor o = cuda(out);
        bind();
        kernels.randn(o.address, o.size(), Noise.streamKey(seed, streamId), mean, std);
    }

    @Override
    public void adamW(AdamW h, float lrScale, int step, Tensor params, Tensor grads, Tensor m, Tensor v,
                      int decayCount) {
        Shapes.adamW(h, lrScale, step, params, grads, m, v, decayCount);
        CudaTensor p = cuda(params);
        bind();
        AdamWStep c = adamWStep.set(h, lrScale, step);
        kernels.adamw(p.address, cuda(grads).address, cuda(m).address, cuda(v).address, p.size(), decayCount,
                c.decayFactor(), c.beta1(), c.beta2(), c.oneMinusBeta1(), c.oneMinusBeta2(), c.eps(), c.stepSize(),
                c.invSqrtBc2());
    }

    @Override
    public void synchronize() {
        bind();
        Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize");
        checkDeviceErrors();
    }

    /** Frees everything; every call is checked, and the first failure is thrown after the rest is released. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        bind();
        CudaException first = null;
        try {
            Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize(close)");
        } catch (CudaException e) {
            first = e;
        }
        closed = true;
        matMul.close();
        kernels.close();
        staging.close();
        first = firstFailure(first, cuMemFreeHost(errorHost), "cuMemFreeHost(error record)");
        for (long a : allocations) {
            first = firstFailure(first, cuMemFree(a), "cuMemFree");
        }
        allocations.clear();
        first = firstFailure(first, cuStreamDestroy(stream), "cuStreamDestroy");
        first = firstFailure(first, cuDevicePrimaryCtxRelease(ordinal), "cuDevicePrimaryCtxRelease");
        if (first != null) {
            throw first;
        }
    }

    private static CudaException firstFailure(CudaException first, int status, String call) {
        if (first == null && status != 0) {
            return new CudaException(call + " failed: " + Driver.errorName(status));
        }
        return first;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Per-row partial results of a loss ({@code perRow} doubles per row), grown when a larger batch comes; growing
     * waits for the GPU, which happens only in the first steps.
     */
    private long rowScratch(int rows, int perRow) {
        if (rowScratchRows < rows * perRow) {
            Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize(row scratch)");
            if (rowScratch != 0) {
                allocations.remove(rowScratch);
                cuMemFree(rowScratch);
            }
            rowScratchRows = Math.max(rows * perRow, 2 * rowScratchRows);
            rowScratch = allocate(2L * rowScratchRows); // doubles
        }
        return rowScratch;
    }

    /**
     * A device buffer for one kind of scratch, grown (never shrunk) when a call needs more; growing waits for the
     * GPU before the old buffer is freed, which happens only in the first steps. The tensor over it is made when it
     * grows, so steady-state calls allocate nothing.
     */
    private final class Scratch {
        private final String name;
        private long floats;
        private CudaTensor tensor;

        Scratch(String name) {
            this.name = name;
        }

        /** At least {@code need} floats (at most one tensor row's worth, as {@link ConvShape} guarantees). */
        CudaTensor ensure(long need) {
            if (floats < need) {
                Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize(" + name + " scratch)");
                if (tensor != null) {
                    allocations.remove(tensor.address);
                    Driver.check(cuMemFree(tensor.address), "cuMemFree(" + name + " scratch)");
                    tensor = null;
                    floats = 0;
                }
                tensor = new CudaTensor(CudaBackend.this, allocate(need), 1, Math.toIntExact(need));
                floats = need;
            }
            return tensor;
        }
    }

    /**
     * Reads the device's error record (bad labels, bad arg-max indices); throws the CPU backend's error for the
     * first one found.
     */
    private void checkDeviceErrors() {
        Driver.check(cuMemcpyDtoHAsync(errorHost.position(0), errorRecord, 5L * Integer.BYTES, stream),
                "cuMemcpyDtoHAsync(error record)");
        Driver.check(cuStreamSynchronize(stream), "cuStreamSynchronize(error record)");
        if (errorHost.get(0) != 0) {
            int row = errorHost.get(1);
            float value = Float.intBitsToFloat(errorHost.get(2));
            int bound = errorHost.get(3);
            int opCode = errorHost.get(4);
            Driver.check(cuMemsetD32Async(errorRecord, 0, 8, stream), "cuMemsetD32Async(error record)");
            throw KernelError.of(opCode).exception(row, value, bound);
        }
    }

    private CudaTensor cuda(Tensor t) {
        if (t instanceof CudaTensor c && c.owner == this) {
            return c;
        }
        throw new IllegalArgumentException("tensor " + t + " does not belong to this cuda backend");
    }

    private long address(Tensor t) {
        return t == null ? 0L : cuda(t).address;
    }
}
