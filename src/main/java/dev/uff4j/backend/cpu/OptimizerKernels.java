package dev.uff4j.backend.cpu;

import dev.uff4j.backend.AdamW;
import dev.uff4j.backend.support.AdamWStep;

/**
 * The optimizer's update of a flat parameter buffer. Mirrored by {@code src/main/cuda/optimizer_kernels.cu}; both
 * take their float constants from {@link AdamWStep}.
 */
final class OptimizerKernels {
    private OptimizerKernels() {
    }

    /**
     * One AdamW step, in PyTorch's arithmetic order (torch.optim.AdamW, not fused): {@code p *= 1 - lr·wd};
     * {@code m = β1·m + (1-β1)·g}; {@code v = β2·v + (1-β2)·g²};
     * {@code p -= (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + eps)}. One unit per chunk of the buffer.
     */
    static final class AdamWUpdate extends SplitKernel {
        private static final int CHUNK = 4096;
        private final AdamWStep c = new AdamWStep();
        private CpuTensor p;
        private CpuTensor g;
        private CpuTensor m;
        private CpuTensor v;
        private int decayCount;

        AdamWUpdate(WorkerPool pool) {
            super(pool);
        }

        void apply(AdamW h, float lrScale, int step, CpuTensor params, CpuTensor grads, CpuTensor mT, CpuTensor vT,
                   int decay) {
            c.set(h, lrScale, step);
            p = params;
            g = grads;
            m = mT;
            v = vT;
            decayCount = decay;
            int size = params.size();
            launch((size + CHUNK - 1) / CHUNK, size);
        }

        @Override
        void range(int fromChunk, int toChunk, int part) {
            int from = fromChunk * CHUNK;
            int to = Math.min(p.size(), toChunk * CHUNK);
            int split = Math.max(from, Math.min(to, decayCount));
            update(from, split, c.decayFactor());
            update(split, to, 1f);
        }

        /**
         * Two calls (decayed weights, then biases) keep the loop free of a per-element branch. When the four buffers
         * start at the same offset (always, for a {@code ParameterSet}) the loop indexes them all with one variable,
         * which C2 vectorises (several times faster than with four offsets: docs/performance.md); otherwise the
         * general loop runs.
         */
        private void update(int from, int to, float decay) {
            int pOff = p.offset;
            if (pOff == g.offset && pOff == m.offset && pOff == v.offset) {
                updateAligned(p.data, g.data, m.data, v.data, pOff + from, pOff + to, decay);
                return;
            }
            float[] pd = p.data;
            float[] gd = g.data;
            float[] md = m.data;
            float[] vd = v.data;
            int gOff = g.offset;
            int mOff = m.offset;
            int vOff = v.offset;
            float b1 = c.beta1();
            float b2 = c.beta2();
            float c1 = c.oneMinusBeta1();
            float c2 = c.oneMinusBeta2();
            float lrStep = c.stepSize();
            float scale = c.invSqrtBc2();
            float e = c.eps();
            for (int i = from; i < to; i++) {
                float gi = gd[gOff + i];
                float mi = b1 * md[mOff + i] + c1 * gi;
                float vi = b2 * vd[vOff + i] + c2 * gi * gi;
                md[mOff + i] = mi;
                vd[vOff + i] = vi;
                float denom = (float) Math.sqrt(vi) * scale + e;
                pd[pOff + i] = pd[pOff + i] * decay - lrStep * mi / denom;
            }
        }

        /** The same update over [from, to) of four arrays indexed alike. */
        private void updateAligned(float[] p, float[] g, float[] m, float[] v, int from, int to, float decay) {
            float b1 = c.beta1();
            float b2 = c.beta2();
            float c1 = c.oneMinusBeta1();
            float c2 = c.oneMinusBeta2();
            float lrStep = c.stepSize();
            float scale = c.invSqrtBc2();
            float e = c.eps();
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
}
