package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;

/**
 * Counter-based random numbers: corruption for denoising cells, and normal samples. The random bits of element pair
 * q (elements 2q and 2q+1 of the tensor, in row-major order) are a hash of (seed, stream, q), so the result does not
 * depend on threads, on the order of evaluation or on the backend: {@code src/main/cuda/noise_kernels.cu} computes
 * the same numbers. Each pair draws two 64-bit words: the first gives two 24-bit uniforms for a Box-Muller
 * transform (cosine for the even element, sine for the odd one), the second two 24-bit uniforms that decide masking.
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

    /** The standard normal number of element {@code index} (the value the pair loops give it). */
    static float normal(long key, long index) {
        long r1 = pairBits(key, index >>> 1);
        double a = angle(r1);
        return (float) (radius(r1) * ((index & 1) == 1 ? Math.sin(a) : Math.cos(a)));
    }

    /** Masking, then Gaussian noise of the survivors; one unit per row. */
    static final class Corrupt extends SplitKernel {
        private CpuTensor x;
        private CpuTensor out;
        private float std;
        private float maskProb;
        private long key;

        Corrupt(WorkerPool pool) {
            super(pool);
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
            int i = from * x.cols();
            int end = to * x.cols();
            if ((i & 1) == 1) {
                o[oOff + i] = corruptOne(xs[xOff + i], key, i, std, maskProb);
                i++;
            }
            for (; i + 1 < end; i += 2) {
                long r1 = pairBits(key, i >>> 1);
                long r2 = Noise.mix64(r1);
                float n0 = 0f;
                float n1 = 0f;
                if (std != 0f) {
                    double radius = radius(r1);
                    double angle = angle(r1);
                    n0 = (float) (radius * Math.cos(angle));
                    n1 = (float) (radius * Math.sin(angle));
                }
                o[oOff + i] = uniform24(r2 >>> 40) < maskProb ? 0f : xs[xOff + i] + std * n0;
                o[oOff + i + 1] = uniform24(r2 & 0xFFFFFFL) < maskProb ? 0f : xs[xOff + i + 1] + std * n1;
            }
            if (i < end) {
                o[oOff + i] = corruptOne(xs[xOff + i], key, i, std, maskProb);
            }
        }

        /** Element {@code index} alone (the same value the pair loop gives it). */
        static float corruptOne(float value, long key, long index, float std, float maskProb) {
            long r2 = Noise.mix64(pairBits(key, index >>> 1));
            boolean odd = (index & 1) == 1;
            if (uniform24(odd ? r2 & 0xFFFFFFL : r2 >>> 40) < maskProb) {
                return 0f;
            }
            return std == 0f ? value : value + std * normal(key, index);
        }
    }

    /** out = mean + std · N(0, 1); one unit per row. */
    static final class Randn extends SplitKernel {
        private CpuTensor out;
        private float mean;
        private float std;
        private long key;

        Randn(WorkerPool pool) {
            super(pool);
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
            int i = from * out.cols();
            int end = to * out.cols();
            if ((i & 1) == 1) {
                o[oOff + i] = mean + std * normal(key, i);
                i++;
            }
            for (; i + 1 < end; i += 2) {
                long r1 = pairBits(key, i >>> 1);
                double radius = radius(r1);
                double angle = angle(r1);
                o[oOff + i] = mean + std * (float) (radius * Math.cos(angle));
                o[oOff + i + 1] = mean + std * (float) (radius * Math.sin(angle));
            }
            if (i < end) {
                o[oOff + i] = mean + std * normal(key, i);
            }
        }
    }
}
