package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;

/**
 * Corruption for denoising cells from a counter-based generator: the random bits of element pair q (elements 2q and
 * 2q+1 of the tensor, in row-major order) are a hash of (seed, stream, q), so the result does not depend on threads,
 * on the order of evaluation or on the backend: a GPU kernel computes the same masks. Each pair draws two 64-bit
 * words: the first gives two 24-bit uniforms for a Box-Muller transform (cosine for the even element, sine for the
 * odd one), the second two 24-bit uniforms that decide masking.
 */
final class NoiseKernel extends SplitKernel {
    private float[] x;
    private int xOff;
    private float[] o;
    private int oOff;
    private int cols;
    private float std;
    private float maskProb;
    private long key;

    NoiseKernel(WorkerPool pool) {
        super(pool);
    }

    void apply(CpuTensor in, Noise noise, long seed, long stream, CpuTensor out) {
        x = in.data;
        xOff = in.offset;
        o = out.data;
        oOff = out.offset;
        cols = in.cols();
        std = noise.gaussianStd();
        maskProb = noise.maskProb();
        key = streamKey(seed, stream);
        launch(in.rows(), in.size() * 8L);
    }

    @Override
    void range(int from, int to, int part) {
        int i = from * cols;
        int end = to * cols;
        if ((i & 1) == 1) {
            o[oOff + i] = corrupt(x[xOff + i], key, i, std, maskProb);
            i++;
        }
        for (; i + 1 < end; i += 2) {
            long pair = i >>> 1;
            long r1 = mix64(key + pair * 0xD1B54A32D192ED03L);
            long r2 = mix64(r1);
            float n0 = 0f;
            float n1 = 0f;
            if (std != 0f) {
                double radius = Math.sqrt(-2.0 * Math.log(((r1 >>> 40) + 1) * 0x1.0p-24));
                double angle = 2.0 * Math.PI * ((r1 & 0xFFFFFFL) * 0x1.0p-24);
                n0 = (float) (radius * Math.cos(angle));
                n1 = (float) (radius * Math.sin(angle));
            }
            o[oOff + i] = uniform24(r2 >>> 40) < maskProb ? 0f : x[xOff + i] + std * n0;
            o[oOff + i + 1] = uniform24(r2 & 0xFFFFFFL) < maskProb ? 0f : x[xOff + i + 1] + std * n1;
        }
        if (i < end) {
            o[oOff + i] = corrupt(x[xOff + i], key, i, std, maskProb);
        }
    }

    static long streamKey(long seed, long stream) {
        return Noise.streamKey(seed, stream);
    }

    /** Element {@code index} alone (the same value the pair loop gives it). */
    static float corrupt(float value, long key, long index, float std, float maskProb) {
        long pair = index >>> 1;
        boolean odd = (index & 1) == 1;
        long r1 = mix64(key + pair * 0xD1B54A32D192ED03L);
        long r2 = mix64(r1);
        if (uniform24(odd ? r2 & 0xFFFFFFL : r2 >>> 40) < maskProb) {
            return 0f;
        }
        if (std == 0f) {
            return value;
        }
        double radius = Math.sqrt(-2.0 * Math.log(((r1 >>> 40) + 1) * 0x1.0p-24));
        double angle = 2.0 * Math.PI * ((r1 & 0xFFFFFFL) * 0x1.0p-24);
        return value + std * (float) (radius * (odd ? Math.sin(angle) : Math.cos(angle)));
    }

    /** A uniform in [0, 1) from 24 random bits (the low 24 bits of {@code bits}). */
    static float uniform24(long bits) {
        return (bits & 0xFFFFFFL) * 0x1.0p-24f;
    }

    static long mix64(long z) {
        return Noise.mix64(z);
    }
}
