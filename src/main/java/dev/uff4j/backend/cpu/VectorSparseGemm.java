package dev.uff4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SparseGemm} on the Vector API: each output row computed three vectors of columns at a time, the chain held
 * in registers across the row's nonzeros. A
 * lane's {@code fma} is the scalar {@code Math.fma} of that element, so vectorising over the output columns changes
 * no bit. Loaded, like {@code VectorGemm}, only when the Vector API module is present.
 */
final class VectorSparseGemm extends SparseGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    VectorSparseGemm(WorkerPool pool) {
        super(pool);
    }

    /**
     * Column chunks outer, rows inner: the chunk's slab of x (its rows, three vectors wide) stays in L2 (L1 for a
     * batch-sized x) while every row of the range reads it.
     */
    @Override
    void rows(int from, int to, Lists lists, float[] x, int xOff, float[] out, int outOff) {
        int width = n;
        int outStride = n;
        int kc = kBlock(k);
        int[] start = lists.start;
        int[] index = lists.index;
        float[] value = lists.value;
        int j = 0;
        for (; j + 3 * L <= width; j += 3 * L) {
            for (int r = from; r < to; r++) {
                int q = start[r];
                int end = start[r + 1];
                int o = outOff + r * outStride + j;
                for (int p0 = 0; p0 < k; p0 += kc) {
                    int p1 = Math.min(k, p0 + kc);
                    FloatVector s0 = FloatVector.zero(S);
                    FloatVector s1 = s0;
                    FloatVector s2 = s0;
                    for (; q < end && index[q] < p1; q++) {
                        FloatVector v = FloatVector.broadcast(S, value[q]);
                        int row = xOff + index[q] * width + j;
                        s0 = FloatVector.fromArray(S, x, row).fma(v, s0);
                        s1 = FloatVector.fromArray(S, x, row + L).fma(v, s1);
                        s2 = FloatVector.fromArray(S, x, row + 2 * L).fma(v, s2);
                    }
                    if (p0 == 0) {
                        s0.intoArray(out, o);
                        s1.intoArray(out, o + L);
                        s2.intoArray(out, o + 2 * L);
                    } else {
                        FloatVector.fromArray(S, out, o).add(s0).intoArray(out, o);
                        FloatVector.fromArray(S, out, o + L).add(s1).intoArray(out, o + L);
                        FloatVector.fromArray(S, out, o + 2 * L).add(s2).intoArray(out, o + 2 * L);
                    }
                }
            }
        }
        for (; j + L <= width; j += L) {
            for (int r = from; r < to; r++) {
                int q = start[r];
                int end = start[r + 1];
                int o = outOff + r * outStride + j;
                for (int p0 = 0; p0 < k; p0 += kc) {
                    int p1 = Math.min(k, p0 + kc);
                    FloatVector s0 = FloatVector.zero(S);
                    for (; q < end && index[q] < p1; q++) {
                        s0 = FloatVector.fromArray(S, x, xOff + index[q] * width + j)
                                .fma(FloatVector.broadcast(S, value[q]), s0);
                    }
                    if (p0 == 0) {
                        s0.intoArray(out, o);
                    } else {
                        FloatVector.fromArray(S, out, o).add(s0).intoArray(out, o);
                    }
                }
            }
        }
        for (; j < width; j++) {
            for (int r = from; r < to; r++) {
                int q = start[r];
                int end = start[r + 1];
                float total = 0f;
                for (int p0 = 0; p0 < k; p0 += kc) {
                    int p1 = Math.min(k, p0 + kc);
                    float sum = 0f;
                    for (; q < end && index[q] < p1; q++) {
                        sum = Math.fma(value[q], x[xOff + index[q] * width + j], sum);
                    }
                    total = p0 == 0 ? sum : total + sum;
                }
                out[outOff + r * outStride + j] = total;
            }
        }
    }
}
