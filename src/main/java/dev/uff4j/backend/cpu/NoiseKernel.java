package dev.uff4j.backend.cpu;

import dev.uff4j.backend.Noise;

/**
 * Corruption for denoising cells from a counter-based generator: element i's random bits are a hash of
 * (seed, stream, i), so the result does not depend on threads or on the order of evaluation, and a GPU kernel can
 * produce the same masks. Each element draws two 64-bit words: the first decides masking (24-bit uniform), the second
 * gives a standard normal by Box-Muller.
 */
final class NoiseKernel extends RowKernel {
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
    void rows(int from, int to, int part) {
        int n = cols;
        for (int r = from; r < to; r++) {
            for (int j = 0; j < n; j++) {
                long index = (long) r * n + j;
                o[oOff + r * n + j] = corrupt(x[xOff + r * n + j], key, index, std, maskProb);
            }
        }
    }

    static long streamKey(long seed, long stream) {
        return mix64(seed ^ mix64(stream + 0x9E3779B97F4A7C15L));
    }

    static float corrupt(float value, long key, long index, float std, float maskProb) {
        long r1 = mix64(key + index * 0xD1B54A32D192ED03L);
        if (maskProb > 0f && uniform24(r1) < maskProb) {
            return 0f;
        }
        if (std == 0f) {
            return value;
        }
        long r2 = mix64(r1);
        double u1 = ((r2 >>> 40) + 1) * 0x1.0p-24; // (0, 1]
        double u2 = (r2 & 0xFFFFFFL) * 0x1.0p-24; // [0, 1)
        double normal = Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
        return value + std * (float) normal;
    }

    static float uniform24(long bits) {
        return (bits >>> 40) * 0x1.0p-24f;
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
