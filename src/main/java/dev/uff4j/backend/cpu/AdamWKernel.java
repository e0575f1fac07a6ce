package dev.uff4j.backend.cpu;

import dev.uff4j.backend.AdamW;

/**
 * One AdamW step over a flat parameter buffer, in PyTorch's arithmetic order (torch.optim.AdamW, not fused):
 * {@code p *= 1 - lr·wd}; {@code m = β1·m + (1-β1)·g}; {@code v = β2·v + (1-β2)·g²};
 * {@code p -= (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + eps)}.
 */
final class AdamWKernel extends SplitKernel {
    private static final int CHUNK = 4096;
    private float[] p;
    private int pOff;
    private float[] g;
    private int gOff;
    private float[] m;
    private int mOff;
    private float[] v;
    private int vOff;
    private int size;
    private int decayCount;
    private float decayFactor;
    private float beta1;
    private float beta2;
    private float oneMinusBeta1;
    private float oneMinusBeta2;
    private float eps;
    private float stepSize;
    private float invSqrtBc2;

    AdamWKernel(WorkerPool pool) {
        super(pool);
    }

    void apply(AdamW h, float lrScale, int step, CpuTensor params, CpuTensor grads, CpuTensor mT, CpuTensor vT,
               int decay) {
        p = params.data;
        pOff = params.offset;
        g = grads.data;
        gOff = grads.offset;
        m = mT.data;
        mOff = mT.offset;
        v = vT.data;
        vOff = vT.offset;
        size = params.size();
        decayCount = decay;
        double lr = h.lr() * lrScale;
        decayFactor = (float) (1 - lr * h.weightDecay());
        beta1 = (float) h.beta1();
        beta2 = (float) h.beta2();
        oneMinusBeta1 = (float) (1 - h.beta1());
        oneMinusBeta2 = (float) (1 - h.beta2());
        eps = (float) h.eps();
        double bc1 = 1.0 - Math.pow(h.beta1(), step);
        double bc2 = 1.0 - Math.pow(h.beta2(), step);
        stepSize = (float) (lr / bc1);
        invSqrtBc2 = (float) (1.0 / Math.sqrt(bc2));
        launch((size + CHUNK - 1) / CHUNK, size);
    }

    @Override
    void range(int fromChunk, int toChunk, int part) {
        int from = fromChunk * CHUNK;
        int to = Math.min(size, toChunk * CHUNK);
        int split = Math.max(from, Math.min(to, decayCount));
        update(from, split, decayFactor);
        update(split, to, 1f);
    }

    /**
     * Two calls (decayed weights, then biases) keep the loop free of a per-element branch. When the four buffers
     * start at the same offset (always, for a {@code ParameterSet}) the loop indexes them all with one variable,
     * which C2 vectorises (7x faster than with four offsets, measured); otherwise the general loop runs.
     */
    private void update(int from, int to, float decay) {
        if (pOff == gOff && gOff == mOff && mOff == vOff) {
            updateAligned(p, g, m, v, pOff + from, pOff + to, decay);
            return;
        }
        float b1 = beta1;
        float b2 = beta2;
        float c1 = oneMinusBeta1;
        float c2 = oneMinusBeta2;
        float lrStep = stepSize;
        float scale = invSqrtBc2;
        float e = eps;
        for (int i = from; i < to; i++) {
            float gi = g[gOff + i];
            float mi = b1 * m[mOff + i] + c1 * gi;
            float vi = b2 * v[vOff + i] + c2 * gi * gi;
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) * scale + e;
            p[pOff + i] = p[pOff + i] * decay - lrStep * mi / denom;
        }
    }

    /** The same update over [from, to) of four arrays indexed alike. */
    private void updateAligned(float[] p, float[] g, float[] m, float[] v, int from, int to, float decay) {
        float b1 = beta1;
        float b2 = beta2;
        float c1 = oneMinusBeta1;
        float c2 = oneMinusBeta2;
        float lrStep = stepSize;
        float scale = invSqrtBc2;
        float e = eps;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) * scale + e;
            p[i] = p[i] * decay - lrStep * mi / denom;
        }
    }
}
