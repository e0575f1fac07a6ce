package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Activation;
import dev.uff4j.backend.ConvShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link DirectConv} on the Vector API, for {@code VectorGemm}: each sample's planes are copied once into a
 * zero-padded scratch plane, and a vector of neighbouring output (or input-gradient) columns holds its chain in a
 * register across the taps. A lane's {@code fma}, {@code mul} and {@code add} are the scalar operations of that
 * element, so vectorising over columns changes no bit. Work is split over samples (the weight gradient's over the
 * GEMM's blocks of columns, whose sums are added in order afterwards), so results do not depend on the thread count.
 * Loaded, like {@code VectorGemm}, only when the Vector API module is present.
 */
final class VectorDirectConv implements DirectConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private final Forward forward;
    private final InputGradient inputGradient;
    private final Transpose transpose;
    private final WeightGradient weightGradient;
    /** The batch's samples padded and channel-last, channels rounded up to whole vectors (weight gradient). */
    private float[] channelLast = new float[0];
    /** Per thread: the padded planes of the current sample. */
    private final float[][] padded;
    /** Per thread: one vector's lanes (partial stores). */
    private final float[][] lanes;
    /** Per tap of the current shape: its offset within a padded sample. */
    private int[] tapOffset = new int[0];
    /** Per tap (i, j) of the current shape: its offset within the padded gradient plane, -i·qw - j. */
    private int[] gradTaps = new int[0];
    /** Per column (sample, position) of the batch: its pixel's offset in the channel-last samples (tap (0, 0)). */
    private int[] columnAt = new int[0];

    VectorDirectConv(WorkerPool pool) {
        padded = new float[pool.threads()][0];
        lanes = new float[pool.threads()][L];
        forward = new Forward(pool);
        inputGradient = new InputGradient(pool);
        transpose = new Transpose(pool);
        weightGradient = new WeightGradient(pool);
    }

    /** Grows the per-thread scratch to {@code floats} (outside the kernels: no allocation in their loops). */
    private void ensure(int floats) {
        for (int t = 0; t < padded.length; t++) {
            if (padded[t].length < floats) {
                padded[t] = new float[floats];
            }
        }
    }

    @Override
    public void forward(CpuTensor x, ConvShape s, CpuTensor w, CpuTensor b, Activation act, CpuTensor out,
                        CpuTensor deriv) {
        int k = s.kernel();
        int pw = s.width() + 2 * s.padding();
        int ph = s.height() + 2 * s.padding();
        int patch = s.patch();
        if (tapOffset.length < patch) {
            tapOffset = new int[patch];
        }
        for (int r = 0; r < patch; r++) {
            int c = r / (k * k);
            int i = (r / k) % k;
            int j = r % k;
            tapOffset[r] = c * ph * pw + i * pw + j;
        }
        // slack: the last vector of a row may read past the row's end (its extra lanes are not stored)
        ensure(s.inChannels() * ph * pw + pw + 2 * L);
        forward.apply(x, s, w, b, act, out, deriv, ph, pw);
    }

    @Override
    public void inputGradient(CpuTensor dz, ConvShape s, CpuTensor w, CpuTensor dx) {
        int k = s.kernel();
        int q = k - 1 - s.padding();
        int qw = s.outWidth() + 2 * q;
        int qh = s.outHeight() + 2 * q;
        if (gradTaps.length < k * k) {
            gradTaps = new int[k * k];
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                gradTaps[i * k + j] = -i * qw - j;
            }
        }
        ensure(qh * qw + qw + 2 * L);
        inputGradient.apply(dz, s, w, dx, qh, qw);
    }

    @Override
    public void weightGradient(CpuTensor x, ConvShape s, CpuTensor dz, CpuTensor dw, int chunk) {
        int channels = (s.inChannels() + L - 1) / L * L;
        int ph = s.height() + 2 * s.padding();
        int pw = s.width() + 2 * s.padding();
        long floats = (long) x.rows() * ph * pw * channels;
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("conv2dBackward: " + x.rows() + " samples of " + s
                    + " are too many for one weight-gradient pass; use smaller batches");
        }
        if (channelLast.length < floats) {
            channelLast = new float[(int) floats];
        }
        int positions = s.outHeight() * s.outWidth();
        if (columnAt.length < x.rows() * positions) {
            columnAt = new int[x.rows() * positions];
        }
        for (int sample = 0, col = 0; sample < x.rows(); sample++) {
            for (int oh = 0; oh < s.outHeight(); oh++) {
                for (int ow = 0; ow < s.outWidth(); ow++) {
                    columnAt[col++] = sample * ph * pw * channels + (oh * pw + ow) * channels;
                }
            }
        }
        transpose.apply(x, s, channels, ph, pw);
        weightGradient.apply(x.rows(), s, dz, dw, chunk, channels, pw);
    }

    /** Per sample: its planes, zero-padded, into channel-last order (channels rounded up with zeros). */
    private final class Transpose extends SplitKernel {
        private CpuTensor x;
        private ConvShape s;
        private int channels;
        private int ph;
        private int pw;

        Transpose(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor x, ConvShape s, int channels, int ph, int pw) {
            this.x = x;
            this.s = s;
            this.channels = channels;
            this.ph = ph;
            this.pw = pw;
            launch(x.rows(), (long) x.rows() * ph * pw * channels);
        }

        @Override
        void range(int from, int to, int part) {
            int c0 = s.inChannels();
            int height = s.height();
            int width = s.width();
            int p = s.padding();
            int size = ph * pw * channels;
            float[] out = channelLast;
            for (int sample = from; sample < to; sample++) {
                int dst = sample * size;
                Arrays.fill(out, dst, dst + size, 0f);
                int src = x.offset + sample * s.inSize();
                for (int c = 0; c < c0; c++) {
                    for (int h = 0; h < height; h++) {
                        int in = src + (c * height + h) * width;
                        int o = dst + ((h + p) * pw + p) * channels + c;
                        for (int w = 0; w < width; w++) {
                            out[o + w * channels] = x.data[in + w];
                        }
                    }
                }
            }
        }
    }

    /**
     * One unit per block of columns (the blocks of the lowering's GEMM: each chunk of samples cut into blocks of
     * {@link SparseGemm#kBlock} columns): every tap and channel's fma chain over the block, into {@code sums}, so that
     * a block's pixels are read from cache by all taps. {@link #finish} then adds the blocks up in order, per weight,
     * the first stored and the others added, as the GEMM does.
     */
    private final class WeightGradient extends SplitKernel {
        private ConvShape s;
        private CpuTensor dz;
        private int channels;
        private int pw;
        private int stride;
        private int blocks;
        private int[] blockStart = new int[0];
        private float[] sums = new float[0];

        WeightGradient(WorkerPool pool) {
            super(pool);
        }

        void apply(int n, ConvShape s, CpuTensor dz, CpuTensor dw, int chunk, int channels, int pw) {
            this.s = s;
            this.dz = dz;
            this.channels = channels;
            this.pw = pw;
            int k = s.kernel();
            int positions = s.outHeight() * s.outWidth();
            blocks = 0;
            for (int first = 0; first < n; first += chunk) {
                int columns = Math.min(chunk, n - first) * positions;
                blocks += (columns + SparseGemm.kBlock(columns) - 1) / SparseGemm.kBlock(columns);
            }
            if (blockStart.length < blocks + 1) {
                blockStart = new int[blocks + 1];
            }
            int b = 0;
            for (int first = 0; first < n; first += chunk) {
                int columns = Math.min(chunk, n - first) * positions;
                int kc = SparseGemm.kBlock(columns);
                for (int pc = 0; pc < columns; pc += kc) {
                    blockStart[b++] = first * positions + pc;
                }
            }
            blockStart[blocks] = n * positions;
            stride = k * k * channels;
            if ((long) blocks * stride > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("conv2dBackward: " + n + " samples of " + s
                        + " are too many for one weight-gradient pass; use smaller batches");
            }
            if (sums.length < blocks * stride) {
                sums = new float[blocks * stride];
            }
            launch(blocks, (long) n * s.patch() * positions / 8);
            finish(dw);
        }

        @Override
        void range(int from, int to, int part) {
            int k = s.kernel();
            float[] src = channelLast;
            float[] g = dz.data;
            for (int b = from; b < to; b++) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        for (int c0 = 0; c0 < channels; c0 += L) {
                            blockSum(src, c0 + (i * pw + j) * channels, columnAt, g, dz.offset, blockStart[b],
                                    blockStart[b + 1], sums, b * stride + (i * k + j) * channels + c0);
                        }
                    }
                }
            }
        }

        /** dw[c][tap] = the blocks' sums in order: the first stored, each next one added. */
        private void finish(CpuTensor dw) {
            int taps = s.kernel() * s.kernel();
            for (int c = 0; c < s.inChannels(); c++) {
                for (int t = 0; t < taps; t++) {
                    int at = t * channels + c;
                    float v = sums[at];
                    for (int b = 1; b < blocks; b++) {
                        v += sums[b * stride + at];
                    }
                    dw.data[dw.offset + c * taps + t] = v;
                }
            }
        }
    }

    /** Per sample: pad its planes, then each output row, a vector of columns at a time. */
    private final class Forward extends SplitKernel {
        private CpuTensor x;
        private ConvShape s;
        private CpuTensor w;
        private CpuTensor b;
        private Activation act;
        private CpuTensor out;
        private CpuTensor deriv;
        private int ph;
        private int pw;

        Forward(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor x, ConvShape s, CpuTensor w, CpuTensor b, Activation act, CpuTensor out,
                   CpuTensor deriv, int ph, int pw) {
            this.x = x;
            this.s = s;
            this.w = w;
            this.b = b;
            this.act = act;
            this.out = out;
            this.deriv = deriv;
            this.ph = ph;
            this.pw = pw;
            launch(x.rows(), (long) x.rows() * s.patch() * s.outHeight() * s.outWidth() / 8);
        }

        @Override
        void range(int from, int to, int part) {
            float[] pad = padded[part];
            float[] tail = lanes[part];
            int channels = s.inChannels();
            int height = s.height();
            int width = s.width();
            int p = s.padding();
            int outH = s.outHeight();
            int outW = s.outWidth();
            int patch = s.patch();
            int kc = SparseGemm.kBlock(patch);
            int[] taps = tapOffset;
            float[] wd = w.data;
            int wo = w.offset;
            float bias = b.data[b.offset];
            float[] o = out.data;
            float[] d = deriv == null ? null : deriv.data;
            int planeSize = ph * pw;
            for (int sample = from; sample < to; sample++) {
                Arrays.fill(pad, 0, channels * planeSize, 0f);
                int src = x.offset + sample * s.inSize();
                for (int c = 0; c < channels; c++) {
                    for (int h = 0; h < height; h++) {
                        System.arraycopy(x.data, src + (c * height + h) * width, pad, c * planeSize + (h + p) * pw + p,
                                width);
                    }
                }
                int row = sample * s.outSize();
                int dst = out.offset + row;
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow += L) {
                        int base = oh * pw + ow;
                        FloatVector z = chain(pad, base, taps, wd, wo, 0, Math.min(patch, kc));
                        for (int r0 = kc; r0 < patch; r0 += kc) {
                            z = z.add(chain(pad, base, taps, wd, wo, r0, Math.min(patch, r0 + kc)));
                        }
                        store(z.add(bias), o, dst + oh * outW + ow, ow, outW, tail);
                    }
                }
                DenseKernels.activate(act, o, dst, d, d == null ? 0 : deriv.offset + row, s.outSize());
            }
        }
    }

    /*
     * The vector loops below are small methods of their own: inside one large method C2 stops inlining the Vector
     * API's calls, which then run their allocating Java fallbacks (seen as lanewiseTemplate in a profile).
     */

    /**
     * Stores the lanes of v that lie before {@code end} (column {@code x0} onward) at {@code a[at]}; a partial vector
     * through {@code tail} (L floats): on JDK 17 a masked store builds its mask in Java, allocating.
     */
    private static void store(FloatVector v, float[] a, int at, int x0, int end, float[] tail) {
        if (x0 + L <= end) {
            v.intoArray(a, at);
        } else {
            v.intoArray(tail, 0);
            System.arraycopy(tail, 0, a, at, end - x0);
        }
    }

    /**
     * Σ over taps t = (i, j), in order, of w[wc + t] · pad[base + offset[t]], each product rounded, then added. One
     * flat loop: with nested loops around the vector, C2 (JDK 17) boxes it and runs the Java fallbacks.
     */
    private static FloatVector taps(float[] pad, int base, int[] offset, int count, float[] w, int wc) {
        FloatVector acc = FloatVector.zero(S);
        for (int t = 0; t < count; t++) {
            acc = acc.add(FloatVector.fromArray(S, pad, base + offset[t]).mul(w[wc + t]));
        }
        return acc;
    }

    /**
     * One block of columns [pc, end) of the batch: the fma chain from zero over the columns in order of the tap's
     * channel vector ({@code tap}: the tap's offset in a channel-last sample; {@code at}: each column's pixel) times
     * dz there ({@code g[dz + column]}), into {@code out[outAt ..]}. One flat loop, as {@link #taps}.
     */
    private static void blockSum(float[] src, int tap, int[] at, float[] g, int dz, int pc, int end, float[] out,
                                 int outAt) {
        FloatVector acc = FloatVector.zero(S);
        for (int col = pc; col < end; col++) {
            acc = FloatVector.fromArray(S, src, at[col] + tap).fma(FloatVector.broadcast(S, g[dz + col]), acc);
        }
        acc.intoArray(out, outAt);
    }

    /** One block of taps [r0, r1) of the outputs at base: an fma chain from zero, as the GEMM's kernel sums it. */
    private static FloatVector chain(float[] pad, int base, int[] taps, float[] w, int wo, int r0, int r1) {
        FloatVector acc = FloatVector.zero(S);
        for (int r = r0; r < r1; r++) {
            acc = FloatVector.fromArray(S, pad, base + taps[r]).fma(FloatVector.broadcast(S, w[wo + r]), acc);
        }
        return acc;
    }

    /**
     * Per sample: pad its gradient plane by kernel - 1 - padding, then dx[c][h][w] = Σ over taps (i, j), in that
     * order, of w[c][i][j] · dz at (h + padding - i, w + padding - j), a vector of columns at a time.
     */
    private final class InputGradient extends SplitKernel {
        private CpuTensor dz;
        private ConvShape s;
        private CpuTensor w;
        private CpuTensor dx;
        private int qh;
        private int qw;

        InputGradient(WorkerPool pool) {
            super(pool);
        }

        void apply(CpuTensor dz, ConvShape s, CpuTensor w, CpuTensor dx, int qh, int qw) {
            this.dz = dz;
            this.s = s;
            this.w = w;
            this.dx = dx;
            this.qh = qh;
            this.qw = qw;
            launch(dz.rows(), (long) dz.rows() * s.patch() * s.outHeight() * s.outWidth() / 8);
        }

        @Override
        void range(int from, int to, int part) {
            float[] pad = padded[part];
            float[] tail = lanes[part];
            int k = s.kernel();
            int q = k - 1 - s.padding();
            int channels = s.inChannels();
            int height = s.height();
            int width = s.width();
            int outH = s.outHeight();
            int outW = s.outWidth();
            float[] wd = w.data;
            int wo = w.offset;
            float[] g = dx.data;
            for (int sample = from; sample < to; sample++) {
                Arrays.fill(pad, 0, qh * qw, 0f);
                int src = dz.offset + sample * s.outSize();
                for (int oh = 0; oh < outH; oh++) {
                    System.arraycopy(dz.data, src + oh * outW, pad, (oh + q) * qw + q, outW);
                }
                int dst = dx.offset + sample * s.inSize();
                for (int c = 0; c < channels; c++) {
                    int wc = wo + c * k * k;
                    int plane = dst + c * height * width;
                    for (int h = 0; h < height; h++) {
                        for (int x0 = 0; x0 < width; x0 += L) {
                            // dz at (h + padding - i, x + padding - j) is pad[(h + k - 1 - i)·qw + x + k - 1 - j]
                            FloatVector acc = taps(pad, (h + k - 1) * qw + x0 + k - 1, gradTaps, k * k, wd, wc);
                            store(acc, g, plane + h * width + x0, x0, width, tail);
                        }
                    }
                }
            }
        }
    }
}
