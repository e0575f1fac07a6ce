package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;

/**
 * Counter-based random numbers: corruption for denoising cells, and normal samples. The random bits of element pair
 * q (elements 2q and 2q+1 of the tensor, in row-major order) are a hash of (seed, stream, q), so the result does not
 * depend on threads, on the order of evaluation or on the backend: {@code src/main/cuda/noise_kernels.cu} computes
 * the same numbers. Each pair draws two 64-bit words: the first gives two 24-bit uniforms for a Box-Muller
 * transform (cosine for the even element, sine for the odd one), the second two 24-bit uniforms that decide masking.
 * The transform's logarithm, cosine and sine are computed by {@link Normals}: {@link FloatNormals}, float
 * polynomials of IEEE operations, the same bits scalar, on the Vector API and in the CUDA kernel. {@link #radius} and
 * {@link #angle} keep the double-precision transform as the tests' reference (a few float ulps away).
 */
final class NoiseKernels {
    private NoiseKernels() {
    }

    /** The first random word of element pair {@code pair} (also the one random word of row {@code pair}). */
    static long pairBits(long key, long pair) {
        return Noise.mix64(key + pair * 0xD1B54A32D192ED03L);
    }

    /** The Box-Muller radius of a pair's first word: sqrt(-2 ln u), u in (0, 1] from its high 24 bits. */
    static double radius(long r1) {
        return Math.sqrt(-2.0 * Math.log(((r1 >>> 40) + 1) * 0x1.0p-24));
    }

    /** The Box-Muller angle of a pair's first word: 2π u, u in [0, 1) from its low 24 bits. */
    static double angle(long r1) {
        return 2.0 * Math.PI * ((r1 & 0xFFFFFFL) * 0x1.0p-24);
    }

    /** A uniform in [0, 1) from 24 random bits (the low 24 bits of {@code bits}). */
    static float uniform24(long bits) {
        return (bits & 0xFFFFFFL) * 0x1.0p-24f;
    }

    /**
     * Draws the Box-Muller pairs of consecutive pair indices: {@code n0[t]} and {@code n1[t]} are the normals of
     * pair {@code firstPair + t} (its even and its odd element).
     */
    interface Normals {
        /**
         * Pairs are drawn in groups of this many, aligned to multiples of it, so that a pair's value does not
         * depend on which range asked for it.
         */
        int group();

        /**
         * Fills {@code n0[0..pairs)} and {@code n1[0..pairs)}; {@code firstPair} and {@code pairs} are multiples of
         * {@link #group}; {@code s0} and {@code s1} (as long) are scratch.
         */
        void fill(long key, long firstPair, int pairs, float[] n0, float[] n1, float[] s0, float[] s1);
    }

    /**
     * The CPU backend's draws: {@link FloatNormals}, on the Vector API ({@code VectorNormals}, the same bits) when
     * its module is present.
     */
    static Normals normals() {
        if (Gemms.vectorApiAvailable()) {
            try {
                return (Normals) Class.forName("dev.uff4j.backend.cpu.VectorNormals").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("cannot load VectorNormals: " + e, e);
            }
        }
        return new FloatNormals();
    }

    /** A part's buffers for one row's pairs; they only grow. */
    private static final class Rows {
        float[] n0 = new float[0];
        float[] n1 = new float[0];
        float[] s0 = new float[0];
        float[] s1 = new float[0];

        void ensure(int pairs) {
            if (n0.length < pairs) {
                n0 = new float[pairs];
                n1 = new float[pairs];
                s0 = new float[pairs];
                s1 = new float[pairs];
            }
        }
    }

    /**
     * The pairs of elements {@code [i0, i1)} drawn into {@code rows}, aligned to the group: returns the first pair
     * drawn (the element pair {@code q} is at index {@code q - first}).
     */
    private static long drawRow(Normals normals, Rows rows, long key, int i0, int i1) {
        int g = normals.group();
        long first = (i0 >>> 1) / g * g;
        long last = (i1 - 1) >>> 1;
        int pairs = (int) ((last - first) / g + 1) * g;
        rows.ensure(pairs);
        normals.fill(key, first, pairs, rows.n0, rows.n1, rows.s0, rows.s1);
        return first;
    }

    /** Masking, then Gaussian noise of the survivors; one unit per row. */
    static final class Corrupt extends SplitKernel {
        private final Normals normals;
        private final Rows[] rows;
        private CpuTensor x;
        private CpuTensor out;
        private float std;
        private float maskProb;
        private long key;

        Corrupt(WorkerPool pool, Normals normals) {
            super(pool);
            this.normals = normals;
            this.rows = new Rows[pool.threads()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new Rows();
            }
        }

        void apply(CpuTensor in, Noise noise, long seed, long stream, CpuTensor out) {
            this.x = in;
            this.out = out;
            std = noise.gaussianStd();
            maskProb = noise.maskProb();
            key = Noise.streamKey(seed, stream);
            launch(in.rows(), in.size() * 8L);
        }

        @Override
        void range(int from, int to, int part) {
            float[] xs = x.data;
            int xOff = x.offset;
            float[] o = out.data;
            int oOff = out.offset;
            int cols = x.cols();
            Rows r = rows[part];
            for (int row = from; row < to; row++) {
                int i0 = row * cols;
                int i1 = i0 + cols;
                long first = std != 0f ? drawRow(normals, r, key, i0, i1) : 0L;
                int i = i0;
                if ((i & 1) == 1) { // a row that starts mid-pair: its first element alone
                    o[oOff + i] = corrupted(xs[xOff + i], i, first, r);
                    i++;
                }
                for (; i + 1 < i1; i += 2) { // whole pairs: one mask word for both elements
                    long pair = i >>> 1;
                    long r2 = Noise.mix64(pairBits(key, pair));
                    int t = (int) (pair - first);
                    float v0 = std != 0f ? xs[xOff + i] + std * r.n0[t] : xs[xOff + i];
                    float v1 = std != 0f ? xs[xOff + i + 1] + std * r.n1[t] : xs[xOff + i + 1];
                    o[oOff + i] = uniform24(r2 >>> 40) < maskProb ? 0f : v0;
                    o[oOff + i + 1] = uniform24(r2 & 0xFFFFFFL) < maskProb ? 0f : v1;
                }
                if (i < i1) { // a row that ends mid-pair
                    o[oOff + i] = corrupted(xs[xOff + i], i, first, r);
                }
            }
        }

        /** Element {@code i} corrupted, its pair's normals drawn from {@code first} on. */
        private float corrupted(float value, int i, long first, Rows r) {
            long pair = i >>> 1;
            long r2 = Noise.mix64(pairBits(key, pair));
            boolean odd = (i & 1) == 1;
            if (uniform24(odd ? r2 & 0xFFFFFFL : r2 >>> 40) < maskProb) {
                return 0f;
            }
            if (std == 0f) {
                return value;
            }
            int t = (int) (pair - first);
            return value + std * (odd ? r.n1[t] : r.n0[t]);
        }
    }

    /** out = mean + std · N(0, 1); one unit per row. */
    static final class Randn extends SplitKernel {
        private final Normals normals;
        private final Rows[] rows;
        private CpuTensor out;
        private float mean;
        private float std;
        private long key;

        Randn(WorkerPool pool, Normals normals) {
            super(pool);
            this.normals = normals;
            this.rows = new Rows[pool.threads()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = new Rows();
            }
        }

        void apply(CpuTensor out, float mean, float std, long seed, long stream) {
            this.out = out;
            this.mean = mean;
            this.std = std;
            key = Noise.streamKey(seed, stream);
            launch(out.rows(), out.size() * 8L);
        }

        @Override
        void range(int from, int to, int part) {
            float[] o = out.data;
            int oOff = out.offset;
            int cols = out.cols();
            Rows r = rows[part];
            for (int row = from; row < to; row++) {
                int i0 = row * cols;
                int i1 = i0 + cols;
                long first = drawRow(normals, r, key, i0, i1);
                for (int i = i0; i < i1; i++) {
                    int t = (int) ((i >>> 1) - first);
                    o[oOff + i] = mean + std * ((i & 1) == 1 ? r.n1[t] : r.n0[t]);
                }
            }
        }
    }
}
