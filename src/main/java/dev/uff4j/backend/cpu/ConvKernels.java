package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.ConvShape;
import dev.uff4j.backend.support.Shapes;

import java.util.Arrays;

/**
 * Convolution, max pooling and upsampling on images stored one per row, channel-major (see {@link ConvShape}).
 * Mirrored kernel by kernel by {@code src/main/cuda/conv_kernels.cu}.
 *
 * <p>A convolution is lowered to one large GEMM per chunk of samples (im2col): the chunk's input patches become the
 * columns of a {@code patch x (m·P)} matrix (m samples, P = outHeight·outWidth output positions, sample-major), so
 * {@code Z = w · cols} is {@code outC x (m·P)} and each (sample, channel) of the output is a contiguous run of Z,
 * copied out with bias and activation. The backward lays dz out the same way ({@code Zd}, outC x m·P), so
 * {@code dw += Zd · colsᵀ} and {@code dcols = wᵀ · Zd}; col2im then gathers dcols into dx, each input element
 * summing its taps in (i, j) order. Chunks bound the scratch ({@link #CHUNK_FLOATS}) so that a chunk's patch
 * matrix and product stay in cache: at the convolutional autoencoder's shapes the lowering moves more memory than
 * the GEMM does arithmetic, so one GEMM over the whole batch was slower than chunks, and 8 MiB chunks beat 4 and 16
 * MiB ones (the measurements are in docs/performance.md). A chunk's size depends on the shape alone, and every sum
 * runs in an order fixed by the shape, so results do not depend on the thread count.
 */
final class ConvKernels {
    /** Scratch per chunk (patch matrix and product), in floats: 8 MiB, so a chunk's lowering stays in cache. */
    static final long CHUNK_FLOATS = 1L << 21;

    private ConvKernels() {
    }

    /** The geometry of the current chunk, shared by the convolution's kernels. */
    private static final class Geometry {
        int channels;
        int height;
        int width;
        int kernel;
        int stride;
        int padding;
        int outHeight;
        int outWidth;
        int outChannels;
        int inSize;
        int outSize;
        int positions;
        /** Samples in the current chunk, its first sample, and its columns in the lowered matrices (m·P). */
        int samples;
        int first;
        int columns;

        void set(ConvShape s) {
            channels = s.inChannels();
            height = s.height();
            width = s.width();
            kernel = s.kernel();
            stride = s.stride();
            padding = s.padding();
            outHeight = s.outHeight();
            outWidth = s.outWidth();
            outChannels = s.outChannels();
            inSize = s.inSize();
            outSize = s.outSize();
            positions = outHeight * outWidth;
        }

        void chunk(int from, int count) {
            first = from;
            samples = count;
            columns = count * positions;
        }
    }

    /** The first output column whose tap j lies inside the image: ow·stride - pad + j >= 0 (at most outW). */
    static int firstInside(int j, int pad, int stride, int outW) {
        int before = pad - j;
        return before <= 0 ? 0 : Math.min(outW, (before + stride - 1) / stride);
    }

    /** One past the last output column whose tap j lies inside the image: ow·stride - pad + j &lt; width (&ge; lo). */
    static int endInside(int j, int pad, int stride, int width, int outW, int lo) {
        int limit = width + pad - j;
        int end = limit <= 0 ? 0 : Math.min(outW, (limit + stride - 1) / stride);
        return Math.max(lo, end);
    }

    /** The convolution's forward and backward: the kernels below around the backend's GEMM, with grown scratch. */
    static final class Conv2d {
        private final Gemm gemm;
        private final Geometry g = new Geometry();
        private final Im2col im2col;
        private final BiasActivation biasActivation;
        private final GatherDz gatherDz;
        private final Col2im col2im;
        private final BiasGrad biasGrad;
        /** The single-map convolutions computed without the lowering, with the GEMM's bits; null: always lowered. */
        private final DirectConv direct;
        private float[] cols = new float[0];
        private float[] z = new float[0];

        Conv2d(WorkerPool pool, Gemm gemm) {
            this(pool, gemm, Gemms.directConvFor(gemm, pool));
        }

        Conv2d(WorkerPool pool, Gemm gemm, DirectConv direct) {
            this.gemm = gemm;
            this.direct = direct;
            this.im2col = new Im2col(pool, g);
            this.biasActivation = new BiasActivation(pool, g);
            this.gatherDz = new GatherDz(pool, g);
            this.col2im = new Col2im(pool, g);
            this.biasGrad = new BiasGrad(pool);
        }

        private int prepare(ConvShape s, int n) {
            g.set(s);
            int chunk = s.samplesPerChunk(n, CHUNK_FLOATS);
            long columns = (long) chunk * g.positions;
            if (cols.length < s.patch() * columns) {
                cols = new float[(int) (s.patch() * columns)];
            }
            if (z.length < s.outChannels() * columns) {
                z = new float[(int) (s.outChannels() * columns)];
            }
            return chunk;
        }

        void forward(CpuTensor x, ConvShape s, CpuTensor w, CpuTensor b, Activation act, CpuTensor out,
                     CpuTensor deriv) {
            if (direct != null && DirectConv.applies(s)) {
                direct.forward(x, s, w, b, act, out, deriv);
                return;
            }
            int n = x.rows();
            int chunk = prepare(s, n);
            int patch = s.patch();
            for (int first = 0; first < n; first += chunk) {
                g.chunk(first, Math.min(chunk, n - first));
                im2col.apply(x, cols);
                gemm.multiply(false, false, g.outChannels, g.columns, patch, w.data, w.offset, patch, cols, 0,
                        g.columns, false, z, 0, g.columns);
                biasActivation.apply(z, b, act, out, deriv);
            }
        }

        void backward(CpuTensor x, ConvShape s, CpuTensor w, CpuTensor dz, CpuTensor dw, CpuTensor db,
                      CpuTensor dx) {
            int n = x.rows();
            int outC = s.outChannels();
            if (direct != null && DirectConv.applies(s)) {
                biasGrad.apply(dz, outC, s.outHeight() * s.outWidth(), db);
                // the lowering's chunks, whose column blocks the weight gradient sums as the GEMM does
                direct.weightGradient(x, s, dz, dw, s.samplesPerChunk(n, CHUNK_FLOATS));
                if (dx != null) {
                    direct.inputGradient(dz, s, w, dx);
                }
                return;
            }
            int chunk = prepare(s, n);
            int patch = s.patch();
            biasGrad.apply(dz, outC, g.positions, db);
            for (int first = 0; first < n; first += chunk) {
                g.chunk(first, Math.min(chunk, n - first));
                gatherDz.apply(dz, z);
                im2col.apply(x, cols);
                gemm.multiply(false, true, outC, patch, g.columns, z, 0, g.columns, cols, 0, g.columns, first > 0,
                        dw.data, dw.offset, patch);
                if (dx != null) {
                    // dcols = wᵀ · Zd, into the patch matrix's memory (its product with Zd is done)
                    gemm.multiply(true, false, patch, g.columns, outC, w.data, w.offset, patch, z, 0, g.columns,
                            false, cols, 0, g.columns);
                    col2im.apply(cols, dx);
                }
            }
        }
    }

    /**
     * cols[r][s·P + p] = the input under tap r = (c, i, j) of output position p = (oh, ow) of chunk sample s, 0 in
     * the padding. One unit per (tap, sample): a contiguous run of P columns.
     */
    static final class Im2col extends SplitKernel {
        private final Geometry g;
        private CpuTensor input;
        private float[] cols;

        Im2col(WorkerPool pool, Geometry g) {
            super(pool);
            this.g = g;
        }

        void apply(CpuTensor input, float[] out) {
            this.input = input;
            cols = out;
            int taps = g.channels * g.kernel * g.kernel;
            launch(taps * g.samples, (long) taps * g.columns);
        }

        @Override
        void range(int from, int to, int part) {
            int k = g.kernel;
            int kk = k * k;
            int m = g.samples;
            int width = g.width;
            int outW = g.outWidth;
            int stride = g.stride;
            int pad = g.padding;
            float[] x = input.data;
            int xOff = input.offset;
            for (int u = from; u < to; u++) {
                int r = u / m;
                int s = u - r * m;
                int c = r / kk;
                int i = (r / k) % k;
                int j = r % k;
                int plane = xOff + (g.first + s) * g.inSize + c * g.height * width;
                int dst = r * g.columns + s * g.positions;
                int lo = firstInside(j, pad, stride, outW);
                int hi = endInside(j, pad, stride, width, outW, lo);
                for (int oh = 0; oh < g.outHeight; oh++) {
                    int h = oh * stride - pad + i;
                    int d = dst + oh * outW;
                    if (h < 0 || h >= g.height) {
                        Arrays.fill(cols, d, d + outW, 0f);
                        continue;
                    }
                    // the padding's columns are few (a 3x3 tap with padding 1 has at most one): plain loops, since
                    // a call of Arrays.fill per row cost more than the copy (a profile of the cae step)
                    for (int t = d; t < d + lo; t++) {
                        cols[t] = 0f;
                    }
                    int src = plane + h * width - pad + j; // + ow·stride
                    if (stride == 1) {
                        if (hi > lo) {
                            System.arraycopy(x, src + lo, cols, d + lo, hi - lo);
                        }
                    } else {
                        for (int ow = lo; ow < hi; ow++) {
                            cols[d + ow] = x[src + ow * stride];
                        }
                    }
                    for (int t = d + hi; t < d + outW; t++) {
                        cols[t] = 0f;
                    }
                }
            }
        }
    }

    /**
     * out[s][o·P + p] = act(Z[o][s·P + p] + b[o]) and deriv = act'(.), with the dense layers' activation routine
     * ({@link DenseKernels#activate}). One unit per (sample, output channel).
     */
    static final class BiasActivation extends SplitKernel {
        private final Geometry g;
        private float[] z;
        private CpuTensor bias;
        private Activation act;
        private CpuTensor out;
        private CpuTensor deriv;

        BiasActivation(WorkerPool pool, Geometry g) {
            super(pool);
            this.g = g;
        }

        void apply(float[] product, CpuTensor bias, Activation activation, CpuTensor out, CpuTensor deriv) {
            z = product;
            this.bias = bias;
            act = activation;
            this.out = out;
            this.deriv = deriv;
            launch(g.samples * g.outChannels, (long) g.outChannels * g.columns);
        }

        @Override
        void range(int from, int to, int part) {
            int outC = g.outChannels;
            int n = g.positions;
            float[] o = out.data;
            float[] d = deriv == null ? null : deriv.data;
            for (int u = from; u < to; u++) {
                int s = u / outC;
                int ch = u - s * outC;
                int src = ch * g.columns + s * n;
                int row = (g.first + s) * g.outSize + ch * n;
                int dst = out.offset + row;
                float b = bias.data[bias.offset + ch];
                for (int p = 0; p < n; p++) {
                    o[dst + p] = z[src + p] + b;
                }
                DenseKernels.activate(act, o, dst, d, d == null ? 0 : deriv.offset + row, n);
            }
        }
    }

    /** Zd[o][s·P + p] = dz[s][o·P + p] for the chunk's samples: dz laid out as the forward's product. */
    static final class GatherDz extends SplitKernel {
        private final Geometry g;
        private CpuTensor dz;
        private float[] zd;

        GatherDz(WorkerPool pool, Geometry g) {
            super(pool);
            this.g = g;
        }

        void apply(CpuTensor gradient, float[] out) {
            dz = gradient;
            zd = out;
            launch(g.samples * g.outChannels, (long) g.outChannels * g.columns);
        }

        @Override
        void range(int from, int to, int part) {
            int outC = g.outChannels;
            int n = g.positions;
            for (int u = from; u < to; u++) {
                int s = u / outC;
                int ch = u - s * outC;
                System.arraycopy(dz.data, dz.offset + (g.first + s) * g.outSize + ch * n, zd, ch * g.columns + s * n,
                        n);
            }
        }
    }

    /**
     * dx[s][c][h][w] = Σ over taps (i, j), in that order, of dcols[(c, i, j)][s·P + (oh, ow)] where
     * (oh·stride - padding + i, ow·stride - padding + j) = (h, w). One unit per (sample, channel) plane: the plane
     * is zeroed, then each tap adds its contributions (a tap reaches each element at most once), so every element
     * sums its taps in (i, j) order, as the CUDA gather does.
     */
    static final class Col2im extends SplitKernel {
        private final Geometry g;
        private float[] dcols;
        private CpuTensor out;

        Col2im(WorkerPool pool, Geometry g) {
            super(pool);
            this.g = g;
        }

        void apply(float[] lowered, CpuTensor out) {
            dcols = lowered;
            this.out = out;
            launch(g.samples * g.channels, (long) g.channels * g.kernel * g.kernel * g.columns);
        }

        @Override
        void range(int from, int to, int part) {
            int k = g.kernel;
            int channels = g.channels;
            int height = g.height;
            int width = g.width;
            int outW = g.outWidth;
            int stride = g.stride;
            int pad = g.padding;
            float[] dx = out.data;
            for (int u = from; u < to; u++) {
                int s = u / channels;
                int c = u - s * channels;
                int plane = out.offset + (g.first + s) * g.inSize + c * height * width;
                Arrays.fill(dx, plane, plane + height * width, 0f);
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        int src = ((c * k + i) * k + j) * g.columns + s * g.positions;
                        int lo = firstInside(j, pad, stride, outW);
                        int hi = endInside(j, pad, stride, width, outW, lo);
                        for (int oh = 0; oh < g.outHeight; oh++) {
                            int h = oh * stride - pad + i;
                            if (h < 0 || h >= height) {
                                continue;
                            }
                            int dst = plane + h * width - pad + j; // + ow·stride
                            int row = src + oh * outW;
                            if (stride == 1) {
                                for (int ow = lo; ow < hi; ow++) {
                                    dx[dst + ow] += dcols[row + ow];
                                }
                            } else {
                                for (int ow = lo; ow < hi; ow++) {
                                    dx[dst + ow * stride] += dcols[row + ow];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** db[o] = Σ over samples, then positions, of dz[s][o·P + p], summed in double; one unit per output channel. */
    static final class BiasGrad extends SplitKernel {
        private CpuTensor dz;
        private int positions;
        private CpuTensor db;

        BiasGrad(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor gradient, int outChannels, int outPositions, CpuTensor out) {
            dz = gradient;
            positions = outPositions;
            db = out;
            launch(outChannels, gradient.size());
        }

        @Override
        void range(int from, int to, int part) {
            float[] z = dz.data;
            int rows = dz.rows();
            int cols = dz.cols();
            for (int o = from; o < to; o++) {
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    int base = dz.offset + r * cols + o * positions;
                    for (int p = 0; p < positions; p++) {
                        sum += z[base + p];
                    }
                }
                db.data[db.offset + o] = (float) sum;
            }
        }
    }

    /**
     * out[s][c][oh][ow] = the largest of the window's size x size inputs (the first in row-major order on ties) and
     * argmax = its index within the input row. One unit per (sample, channel) plane.
     */
    static final class MaxPoolForward extends SplitKernel {
        private CpuTensor input;
        private CpuTensor out;
        private CpuTensor argmax;
        private int channels;
        private int height;
        private int width;
        private int size;

        MaxPoolForward(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor input, int c, int h, int w, int window, CpuTensor out, CpuTensor argmax) {
            this.input = input;
            this.out = out;
            this.argmax = argmax;
            channels = c;
            height = h;
            width = w;
            size = window;
            launch(input.rows() * c, input.size());
        }

        @Override
        void range(int from, int to, int part) {
            int outH = height / size;
            int outW = width / size;
            int inSize = channels * height * width;
            int outSize = channels * outH * outW;
            float[] x = input.data;
            float[] o = out.data;
            float[] a = argmax.data;
            int oOff = out.offset;
            int aOff = argmax.offset;
            for (int u = from; u < to; u++) {
                int s = u / channels;
                int c = u - s * channels;
                int in = input.offset + s * inSize;
                int planeIndex = c * height * width;
                int dst = s * outSize + c * outH * outW;
                if (size == 2) {
                    pool2(x, in, planeIndex, o, oOff + dst, a, aOff + dst, outH, outW);
                    continue;
                }
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int best = planeIndex + oh * size * width + ow * size;
                        float max = x[in + best];
                        for (int i = 0; i < size; i++) {
                            int rowIndex = planeIndex + (oh * size + i) * width + ow * size;
                            for (int j = 0; j < size; j++) {
                                float v = x[in + rowIndex + j];
                                if (v > max) {
                                    max = v;
                                    best = rowIndex + j;
                                }
                            }
                        }
                        int e = dst + oh * outW + ow;
                        o[oOff + e] = max;
                        a[aOff + e] = best;
                    }
                }
            }
        }

        /**
         * One plane of 2x2 pooling: the general loop's result (the first maximum in row-major order, by {@code >},
         * so a NaN first element wins and ties keep the earlier index), written with selects instead of branches:
         * on ReLU maps the comparisons are unpredictable, and the branchy loop was a sixth of a cae step.
         */
        private void pool2(float[] x, int in, int plane, float[] o, int oAt, float[] a, int aAt, int outH,
                           int outW) {
            int w = width;
            for (int oh = 0; oh < outH; oh++) {
                int top = plane + 2 * oh * w;
                int e = oh * outW;
                for (int ow = 0; ow < outW; ow++) {
                    int i0 = top + 2 * ow;
                    int i2 = i0 + w;
                    float v1 = x[in + i0 + 1];
                    float v2 = x[in + i2];
                    float v3 = x[in + i2 + 1];
                    float max = x[in + i0];
                    int best = i0;
                    boolean t = v1 > max;
                    max = t ? v1 : max;
                    best = t ? i0 + 1 : best;
                    t = v2 > max;
                    max = t ? v2 : max;
                    best = t ? i2 : best;
                    t = v3 > max;
                    max = t ? v3 : max;
                    best = t ? i2 + 1 : best;
                    o[oAt + e + ow] = max;
                    a[aAt + e + ow] = best;
                }
            }
        }
    }

    /**
     * dx = 0 except dx[r][argmax[r][j]] += dOut[r][j], one unit per row. An entry that is not an index into the row
     * is recorded per part (the first of the part's rows) and reported by {@link #apply} after all parts finished.
     */
    static final class MaxPoolBackward extends SplitKernel {
        private CpuTensor dOut;
        private CpuTensor argmax;
        private CpuTensor dx;
        private final int[] badRow;
        private final float[] badValue;

        MaxPoolBackward(WorkerPool pool) {
            super(pool);
            badRow = new int[pool.threads()];
            badValue = new float[pool.threads()];
        }

        void apply(CpuTensor dOut, CpuTensor argmax, CpuTensor dxT) {
            this.dOut = dOut;
            this.argmax = argmax;
            dx = dxT;
            Arrays.fill(badRow, -1);
            launch(dOut.rows(), dxT.size());
            for (int p = 0; p < badRow.length; p++) {
                if (badRow[p] >= 0) {
                    throw Shapes.badArgmax("maxPool2dBackward", badValue[p], badRow[p], dxT.cols());
                }
            }
        }

        @Override
        void range(int from, int to, int part) {
            float[] g = dOut.data;
            float[] a = argmax.data;
            float[] d = dx.data;
            int outCols = dOut.cols();
            int inCols = dx.cols();
            for (int r = from; r < to; r++) {
                int row = dx.offset + r * inCols;
                Arrays.fill(d, row, row + inCols, 0f);
                int src = r * outCols;
                for (int j = 0; j < outCols; j++) {
                    float v = a[argmax.offset + src + j];
                    int index = (int) v;
                    if (index != v || index < 0 || index >= inCols) {
                        if (badRow[part] < 0) {
                            badRow[part] = r;
                            badValue[part] = v;
                        }
                        continue;
                    }
                    d[row + index] += g[dOut.offset + src + j];
                }
            }
        }
    }

    /**
     * Nearest-neighbour upsampling: out[s][c][h·f + i][w·f + j] = x[s][c][h][w] (forward), and dx[s][c][h][w] = the
     * sum of dOut over that block in (i, j) order (backward). One unit per (sample, channel) plane.
     */
    static final class Upsample extends SplitKernel {
        private CpuTensor small;
        private CpuTensor large;
        private int channels;
        private int height;
        private int width;
        private int factor;
        private boolean backward;

        Upsample(WorkerPool pool) {
            super(pool);
        }

        /** Forward: {@code small} is x and {@code large} is out; backward: {@code large} is dOut, {@code small} dx. */
        void apply(boolean isBackward, CpuTensor smallT, int c, int h, int w, int f, CpuTensor largeT) {
            backward = isBackward;
            small = smallT;
            large = largeT;
            channels = c;
            height = h;
            width = w;
            factor = f;
            launch(smallT.rows() * c, largeT.size());
        }

        @Override
        void range(int from, int to, int part) {
            int f = factor;
            int largeW = width * f;
            int plane = height * width;
            int largePlane = plane * f * f;
            float[] small = this.small.data;
            float[] large = this.large.data;
            for (int u = from; u < to; u++) {
                int sp = this.small.offset + u * plane;
                int lp = this.large.offset + u * largePlane;
                for (int h = 0; h < height; h++) {
                    for (int w = 0; w < width; w++) {
                        int top = lp + h * f * largeW + w * f;
                        if (backward) {
                            float sum = 0f;
                            for (int i = 0; i < f; i++) {
                                for (int j = 0; j < f; j++) {
                                    sum += large[top + i * largeW + j];
                                }
                            }
                            small[sp + h * width + w] = sum;
                        } else {
                            float v = small[sp + h * width + w];
                            for (int i = 0; i < f; i++) {
                                int row = top + i * largeW;
                                for (int j = 0; j < f; j++) {
                                    large[row + j] = v;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
