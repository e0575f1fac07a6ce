package dev.uff4j.backend.cpu;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM on the Vector API ({@code jdk.incubator.vector}): a register-blocked micro-kernel of {@value #MR} rows x 3
 * vectors of {@code SPECIES_PREFERRED} (8 x 48 floats with 512-bit vectors: 24 accumulators + 3 B vectors + 1
 * broadcast = 28 of the 32 AVX-512 registers) that does one {@code fma} per accumulator per k-step on packed panels.
 *
 * <p>Only {@link Gemms} refers to this class, by name through reflection, so a JVM started without
 * {@code --add-modules jdk.incubator.vector} never links it.
 *
 * <p>Blocking (GotoBLAS order: column block, k block, row block, row sliver, column sliver): B is packed per
 * (k block x column block) into slivers of NR columns, k-major; A per (row block x k block) into slivers of MR rows,
 * k-major; transposition is handled by the packing, so one kernel serves all four transA/transB cases. With the row
 * sliver outer and the column sliver inner, an A sliver (MR x kc, 6-8 KiB) stays in L1 and the B panel
 * (kc x nc, at most 256 x 768 floats = 768 KiB) in the 1 MiB L2. Edge tiles run the same kernel into a small
 * temporary tile and copy the valid part, so padding (zeros in the packs) never reaches C.
 *
 * <p>Two paths beside the general one: a product at most one vector wide (a classifier head's 10 classes) runs
 * {@link #computeNarrow}, one vector per row of C with A read unpacked; and a dense layer's forward can have its bias
 * and ReLU applied to each finished tile while it is in L1 ({@link TiledGemm#multiplyBiasActivation}), which saves
 * the separate pass over C. Both give the same bits as the general path followed by that pass ({@code GemmTest}).
 *
 * <p>Determinism: k is cut into blocks of equal length that depend on k alone; each block's sum is an fma chain in
 * k order started from zero, and C gets {@code C0 + block0 + block1 + ...} (C0 absent when not accumulating). Work is
 * split over m or n only (at sliver boundaries), never over k, so results are the same bits for every thread count.
 * Not thread-safe for concurrent {@link #multiply} calls on one instance (calls are serialised by a lock).
 */
final class VectorGemm extends TiledGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows of the micro-tile. */
    static final int MR = 8;
    /** Columns of the micro-tile: three vectors. */
    static final int NR = 3 * L;
    /** Longest k block; k is cut into ceil(k / KC_MAX) blocks of (nearly) equal length. */
    static final int KC_MAX = 256;
    /** Rows per packed A block. */
    static final int MC = 128;
    /** Columns per packed B panel. */
    static final int NC = 16 * NR;
    /**
     * Time to pack one element, in multiply-adds of the kernel, for {@link Gemms#splitRows} (twice that for a
     * transposed B, which is gathered column by column). Calibrated so that the split it picks is the faster one on
     * each of the four UFF shapes (docs/performance.md, calibration).
     */
    static final double PACK_WEIGHT = 16;
    /**
     * Below this many multiply-adds (m*n*k) the call runs on the calling thread only: about 10 us of work for this
     * kernel at small sizes, while handing a part to a worker costs 0.2 us when it is spinning and about 10 us when
     * it has parked.
     */
    static final long PARALLEL_MIN_FMAS = 1L << 20;

    private final Scratch[] scratch;
    private int kc;

    public VectorGemm(WorkerPool pool) {
        super(pool, MR, NR, PARALLEL_MIN_FMAS, PACK_WEIGHT, PACK_WEIGHT, 2 * PACK_WEIGHT);
        this.scratch = new Scratch[pool.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch();
        }
    }

    /** Width of {@code FloatVector.SPECIES_PREFERRED} in bits (read by {@link Gemms} through reflection). */
    public static int preferredBits() {
        return S.vectorBitSize();
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    /** k is cut into blocks of equal length (at most KC_MAX) that depend on k alone. */
    @Override
    void prepare() {
        int kBlocks = (k + KC_MAX - 1) / KC_MAX;
        this.kc = (k + kBlocks - 1) / kBlocks;
    }

    /** C[i0:i1, j0:j1] (+)= op(A)[i0:i1, :] op(B)[:, j0:j1]; i0 and j0 are multiples of MR and NR. */
    @Override
    void compute(int part, int i0, int i1, int j0, int j1) {
        Scratch s = scratch[part];
        if (n <= L) {
            computeNarrow(s, i0, i1);
            return;
        }
        int ncMax = Math.min(NC, roundUp(j1 - j0, NR));
        int mcMax = Math.min(MC, roundUp(i1 - i0, MR));
        s.ensure(kc * ncMax, kc * mcMax);
        float[] bp = s.bPack;
        float[] ap = s.aPack;
        float[] tile = s.tile;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += kc) {
                int kb = Math.min(kc, k - pc);
                boolean add = accumulate || pc > 0;
                packB(bp, pc, kb, jc, nc);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(ap, pc, kb, ic, mc);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        int ao = ir * kb;
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            int bo = jr * kb;
                            int co = cOff + (ic + ir) * ldc + jc + jr;
                            if (mr < MR || nr < NR) {
                                kernelSet(kb, ap, ao, bp, bo, tile, 0, NR);
                                mergeEdge(tile, mr, nr, co, add);
                                if (epiBias != null && pc + kb == k) {
                                    epilogueEdge(ic + ir, mr, jc + jr, nr);
                                }
                            } else {
                                if (add) {
                                    kernelAdd(kb, ap, ao, bp, bo, c, co, ldc);
                                } else {
                                    kernelSet(kb, ap, ao, bp, bo, c, co, ldc);
                                }
                                if (epiBias != null && pc + kb == k) {
                                    epilogueTile(ic + ir, jc + jr);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * C[i0:i1, :] for n &lt;= L (a classifier head's 10 classes): one vector per row, MR rows at a time, A read where
     * it lies. The general path would pack all of A (for these shapes as many elements as the kernel does
     * multiply-adds per column) and run the 3-vector kernel on a 48-wide edge tile of which n columns count. Each
     * element is the same chain as there (per k block an fma chain in k order from zero, then C (+)= that sum), so
     * the result is the same bits as the same columns of a wider product.
     */
    private void computeNarrow(Scratch s, int i0, int i1) {
        s.ensure(kc * L, 0);
        float[] bp = s.bPack;
        float[] tile = s.tile;
        int aRow = transA ? 1 : lda;
        int aStep = transA ? lda : 1;
        for (int pc = 0; pc < k; pc += kc) {
            int kb = Math.min(kc, k - pc);
            boolean add = accumulate || pc > 0;
            packNarrowB(bp, pc, kb);
            int ao = aOff + pc * aStep;
            int i = i0;
            boolean last = epiBias != null && pc + kb == k;
            for (; i + MR <= i1; i += MR) {
                kernelNarrow(kb, a, ao + i * aRow, aRow, aStep, bp, tile);
                mergeEdge(tile, MR, n, cOff + i * ldc, add, L);
                if (last) {
                    epilogueEdge(i, MR, 0, n);
                }
            }
            for (; i < i1; i++) {
                kernelNarrowRow(kb, a, ao + i * aRow, aStep, bp, tile);
                mergeEdge(tile, 1, n, cOff + i * ldc, add, L);
                if (last) {
                    epilogueEdge(i, 1, 0, n);
                }
            }
        }
    }

    /**
     * The fused epilogue ({@link TiledGemm#multiplyBiasActivation}) on the finished full MR x NR tile at row i, column
     * j of C, which the kernel has just written (so it is in L1). Vectors stay inside this method: passed to a method
     * that C2 does not inline, each would be boxed.
     */
    private void epilogueTile(int i, int j) {
        float[] cc = c;
        float[] dd = epiDeriv;
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector b0 = FloatVector.fromArray(S, epiBias, epiBiasOff + j);
        FloatVector b1 = FloatVector.fromArray(S, epiBias, epiBiasOff + j + L);
        FloatVector b2 = FloatVector.fromArray(S, epiBias, epiBiasOff + j + 2 * L);
        for (int r = 0; r < MR; r++) {
            int o = cOff + (i + r) * ldc + j;
            int d = epiDerivOff + (i + r) * ldc + j;
            FloatVector y0 = FloatVector.fromArray(S, cc, o).add(b0);
            FloatVector y1 = FloatVector.fromArray(S, cc, o + L).add(b1);
            FloatVector y2 = FloatVector.fromArray(S, cc, o + 2 * L).add(b2);
            if (epiRelu) {
                y0 = y0.max(zero);
                y1 = y1.max(zero);
                y2 = y2.max(zero);
            }
            y0.intoArray(cc, o);
            y1.intoArray(cc, o + L);
            y2.intoArray(cc, o + 2 * L);
            if (dd != null) {
                if (epiRelu) {
                    y0.mul(0x1p126f).mul(0x1p126f).min(one).intoArray(dd, d);
                    y1.mul(0x1p126f).mul(0x1p126f).min(one).intoArray(dd, d + L);
                    y2.mul(0x1p126f).mul(0x1p126f).min(one).intoArray(dd, d + 2 * L);
                } else {
                    one.intoArray(dd, d);
                    one.intoArray(dd, d + L);
                    one.intoArray(dd, d + 2 * L);
                }
            }
        }
    }

    /** {@link #epilogueTile} for an mr x nr corner, element by element with the same operations. */
    private void epilogueEdge(int i, int mr, int j, int nr) {
        for (int r = 0; r < mr; r++) {
            int o = cOff + (i + r) * ldc + j;
            int d = epiDerivOff + (i + r) * ldc + j;
            for (int x = 0; x < nr; x++) {
                float z = c[o + x] + epiBias[epiBiasOff + j + x];
                if (epiRelu) {
                    z = Math.max(z, 0f);
                }
                c[o + x] = z;
                if (epiDeriv != null) {
                    epiDeriv[d + x] = epiRelu ? Math.min(z * 0x1p126f * 0x1p126f, 1f) : 1f;
                }
            }
        }
    }

    @Override
    boolean fusesBiasActivation() {
        return true;
    }

    /** op(B)[pc:pc+kb, 0:n] as kb rows of L floats, columns past n zero. */
    private void packNarrowB(float[] pack, int pc, int kb) {
        for (int p = 0; p < kb; p++) {
            int dst = p * L;
            if (!transB) {
                System.arraycopy(b, bOff + (pc + p) * ldb, pack, dst, n);
            } else {
                for (int j = 0, src = bOff + j * ldb + pc + p; j < n; j++, src += ldb) {
                    pack[dst + j] = b[src];
                }
            }
            Arrays.fill(pack, dst + n, dst + L, 0f);
        }
    }

    /**
     * tile[r*L..] = sum over kb k-steps of A(row r, p) * packed B row p, for MR rows; A(r, p) is
     * a[ao + r*aRow + p*aStep].
     */
    private static void kernelNarrow(int kb, float[] a, int ao, int aRow, int aStep, float[] bp, float[] tile) {
        FloatVector c0 = FloatVector.zero(S);
        FloatVector c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int p = 0, bo = 0, x = ao; p < kb; p++, bo += L, x += aStep) {
            FloatVector bv = FloatVector.fromArray(S, bp, bo);
            c0 = bv.fma(FloatVector.broadcast(S, a[x]), c0);
            c1 = bv.fma(FloatVector.broadcast(S, a[x + aRow]), c1);
            c2 = bv.fma(FloatVector.broadcast(S, a[x + 2 * aRow]), c2);
            c3 = bv.fma(FloatVector.broadcast(S, a[x + 3 * aRow]), c3);
            c4 = bv.fma(FloatVector.broadcast(S, a[x + 4 * aRow]), c4);
            c5 = bv.fma(FloatVector.broadcast(S, a[x + 5 * aRow]), c5);
            c6 = bv.fma(FloatVector.broadcast(S, a[x + 6 * aRow]), c6);
            c7 = bv.fma(FloatVector.broadcast(S, a[x + 7 * aRow]), c7);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L);
        c5.intoArray(tile, 5 * L);
        c6.intoArray(tile, 6 * L);
        c7.intoArray(tile, 7 * L);
    }

    /** {@link #kernelNarrow} for one row (the rows left over). */
    private static void kernelNarrowRow(int kb, float[] a, int ao, int aStep, float[] bp, float[] tile) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0, bo = 0, x = ao; p < kb; p++, bo += L, x += aStep) {
            c0 = FloatVector.fromArray(S, bp, bo).fma(FloatVector.broadcast(S, a[x]), c0);
        }
        c0.intoArray(tile, 0);
    }

    private void mergeEdge(float[] tile, int mr, int nr, int co, boolean add) {
        mergeEdge(tile, mr, nr, co, add, NR);
    }

    /** C[co..] (row stride ldc) gets or adds the mr x nr corner of a tile whose rows are {@code stride} apart. */
    private void mergeEdge(float[] tile, int mr, int nr, int co, boolean add, int stride) {
        for (int r = 0; r < mr; r++) {
            int dst = co + r * ldc;
            int src = r * stride;
            for (int j = 0; j < nr; j++) {
                c[dst + j] = add ? c[dst + j] + tile[src + j] : tile[src + j];
            }
        }
    }

    /**
     * op(B)[pc:pc+kb, jc:jc+nc] as slivers of NR columns, k-major: pack[jr*kb + p*NR + j] (jr a multiple of NR);
     * columns past nc are zero.
     */
    private void packB(float[] pack, int pc, int kb, int jc, int nc) {
        if (!transB) {
            // Row by row, each row of B read once from left to right. A layer's weights are cold at its forward
            // product (AdamW has streamed every parameter since), and walking down one sliver of columns at a time
            // reads a few lines per row, rows 2000 bytes apart: in a bp step the 128 x 500 x 500 forward products
            // took 1207 us per call that way against 1063 us row by row (docs/performance.md).
            int edge = nc / NR * NR;
            if (edge < nc) {
                Arrays.fill(pack, edge * kb, edge * kb + kb * NR, 0f);
            }
            for (int p = 0; p < kb; p++) {
                int src = bOff + (pc + p) * ldb + jc;
                for (int jr = 0; jr < nc; jr += NR) {
                    System.arraycopy(b, src + jr, pack, jr * kb + p * NR, Math.min(NR, nc - jr));
                }
            }
            return;
        }
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kb;
            if (nr < NR) {
                Arrays.fill(pack, base, base + kb * NR, 0f);
            }
            // op(B) = Bᵀ, a transposition: eight source rows at a time, so that each k-step writes eight adjacent
            // floats of the pack; one source row at a time wrote single floats 192 bytes apart across a 48 KiB
            // sliver (dx of a 500 x 500 layer: 1009 against 876 us per call; chunks of 16 k-steps were slower).
            int j = 0;
            for (; j + 8 <= nr; j += 8) {
                gatherEight(b, bOff + (jc + jr + j) * ldb + pc, ldb, kb, pack, base + j, NR);
            }
            for (; j < nr; j++) {
                gatherOne(b, bOff + (jc + jr + j) * ldb + pc, kb, pack, base + j, NR);
            }
        }
    }

    /**
     * {@code pack[dst + p*step + r] = x[src + r*ld + p]} for the eight rows r &lt; 8 and p &lt; kb: eight rows of x
     * transposed into the pack, each k-step writing eight adjacent floats.
     */
    private static void gatherEight(float[] x, int src, int ld, int kb, float[] pack, int dst, int step) {
        for (int p = 0; p < kb; p++, dst += step) {
            pack[dst] = x[src + p];
            pack[dst + 1] = x[src + ld + p];
            pack[dst + 2] = x[src + 2 * ld + p];
            pack[dst + 3] = x[src + 3 * ld + p];
            pack[dst + 4] = x[src + 4 * ld + p];
            pack[dst + 5] = x[src + 5 * ld + p];
            pack[dst + 6] = x[src + 6 * ld + p];
            pack[dst + 7] = x[src + 7 * ld + p];
        }
    }

    /** {@code pack[dst + p*step] = x[src + p]} for p &lt; kb: one row of x down a column of the pack. */
    private static void gatherOne(float[] x, int src, int kb, float[] pack, int dst, int step) {
        for (int p = 0; p < kb; p++) {
            pack[dst + p * step] = x[src + p];
        }
    }

    /**
     * op(A)[ic:ic+mc, pc:pc+kb] as slivers of MR rows, k-major: pack[ir*kb + p*MR + r] (ir a multiple of MR);
     * rows past mc are zero.
     */
    private void packA(float[] pack, int pc, int kb, int ic, int mc) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kb;
            if (mr < MR) {
                Arrays.fill(pack, base, base + kb * MR, 0f);
            }
            if (!transA && mr == MR) {
                // all MR (= 8) rows per k-step, so the pack is written in order (as in packB's transposition)
                gatherEight(a, aOff + (ic + ir) * lda + pc, lda, kb, pack, base, MR);
            } else if (!transA) {
                for (int r = 0; r < mr; r++) {
                    gatherOne(a, aOff + (ic + ir + r) * lda + pc, kb, pack, base + r, MR);
                }
            } else {
                for (int p = 0; p < kb; p++) {
                    System.arraycopy(a, aOff + (pc + p) * lda + ic + ir, pack, base + p * MR, mr);
                }
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /**
     * The MR x NR tile at c[co] (row stride ldc) gets the product of the A sliver at ap[ao] (MR floats per k-step)
     * and the B sliver at bp[bo] (NR floats per k-step) over kc steps: {@code kernelSet} stores it,
     * {@code kernelAdd} adds it to C. Two copies rather than one with a flag: with the 24 accumulators live across
     * a branch, C2 sometimes boxed them (about 0.9 MB allocated per 128x784x500 call, seen with 2 threads under JMH).
     */
    private static void kernelSet(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z;
        FloatVector c70 = z, c71 = z, c72 = z;
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41); c42 = b2.fma(a4, c42);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51); c52 = b2.fma(a5, c52);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61); c62 = b2.fma(a6, c62);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71); c72 = b2.fma(a7, c72);
        }
        int o0 = co;
        c00.intoArray(c, o0);
        c01.intoArray(c, o0 + L);
        c02.intoArray(c, o0 + 2 * L);
        int o1 = co + 1 * ldc;
        c10.intoArray(c, o1);
        c11.intoArray(c, o1 + L);
        c12.intoArray(c, o1 + 2 * L);
        int o2 = co + 2 * ldc;
        c20.intoArray(c, o2);
        c21.intoArray(c, o2 + L);
        c22.intoArray(c, o2 + 2 * L);
        int o3 = co + 3 * ldc;
        c30.intoArray(c, o3);
        c31.intoArray(c, o3 + L);
        c32.intoArray(c, o3 + 2 * L);
        int o4 = co + 4 * ldc;
        c40.intoArray(c, o4);
        c41.intoArray(c, o4 + L);
        c42.intoArray(c, o4 + 2 * L);
        int o5 = co + 5 * ldc;
        c50.intoArray(c, o5);
        c51.intoArray(c, o5 + L);
        c52.intoArray(c, o5 + 2 * L);
        int o6 = co + 6 * ldc;
        c60.intoArray(c, o6);
        c61.intoArray(c, o6 + L);
        c62.intoArray(c, o6 + 2 * L);
        int o7 = co + 7 * ldc;
        c70.intoArray(c, o7);
        c71.intoArray(c, o7 + L);
        c72.intoArray(c, o7 + 2 * L);
    }

    private static void kernelAdd(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z;
        FloatVector c70 = z, c71 = z, c72 = z;
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02);
            FloatVector a1 = FloatVector.broadcast(S, ap[ao + 1]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12);
            FloatVector a2 = FloatVector.broadcast(S, ap[ao + 2]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22);
            FloatVector a3 = FloatVector.broadcast(S, ap[ao + 3]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32);
            FloatVector a4 = FloatVector.broadcast(S, ap[ao + 4]);
            c40 = b0.fma(a4, c40); c41 = b1.fma(a4, c41); c42 = b2.fma(a4, c42);
            FloatVector a5 = FloatVector.broadcast(S, ap[ao + 5]);
            c50 = b0.fma(a5, c50); c51 = b1.fma(a5, c51); c52 = b2.fma(a5, c52);
            FloatVector a6 = FloatVector.broadcast(S, ap[ao + 6]);
            c60 = b0.fma(a6, c60); c61 = b1.fma(a6, c61); c62 = b2.fma(a6, c62);
            FloatVector a7 = FloatVector.broadcast(S, ap[ao + 7]);
            c70 = b0.fma(a7, c70); c71 = b1.fma(a7, c71); c72 = b2.fma(a7, c72);
        }
        int o0 = co;
        FloatVector.fromArray(S, c, o0).add(c00).intoArray(c, o0);
        FloatVector.fromArray(S, c, o0 + L).add(c01).intoArray(c, o0 + L);
        FloatVector.fromArray(S, c, o0 + 2 * L).add(c02).intoArray(c, o0 + 2 * L);
        int o1 = co + 1 * ldc;
        FloatVector.fromArray(S, c, o1).add(c10).intoArray(c, o1);
        FloatVector.fromArray(S, c, o1 + L).add(c11).intoArray(c, o1 + L);
        FloatVector.fromArray(S, c, o1 + 2 * L).add(c12).intoArray(c, o1 + 2 * L);
        int o2 = co + 2 * ldc;
        FloatVector.fromArray(S, c, o2).add(c20).intoArray(c, o2);
        FloatVector.fromArray(S, c, o2 + L).add(c21).intoArray(c, o2 + L);
        FloatVector.fromArray(S, c, o2 + 2 * L).add(c22).intoArray(c, o2 + 2 * L);
        int o3 = co + 3 * ldc;
        FloatVector.fromArray(S, c, o3).add(c30).intoArray(c, o3);
        FloatVector.fromArray(S, c, o3 + L).add(c31).intoArray(c, o3 + L);
        FloatVector.fromArray(S, c, o3 + 2 * L).add(c32).intoArray(c, o3 + 2 * L);
        int o4 = co + 4 * ldc;
        FloatVector.fromArray(S, c, o4).add(c40).intoArray(c, o4);
        FloatVector.fromArray(S, c, o4 + L).add(c41).intoArray(c, o4 + L);
        FloatVector.fromArray(S, c, o4 + 2 * L).add(c42).intoArray(c, o4 + 2 * L);
        int o5 = co + 5 * ldc;
        FloatVector.fromArray(S, c, o5).add(c50).intoArray(c, o5);
        FloatVector.fromArray(S, c, o5 + L).add(c51).intoArray(c, o5 + L);
        FloatVector.fromArray(S, c, o5 + 2 * L).add(c52).intoArray(c, o5 + 2 * L);
        int o6 = co + 6 * ldc;
        FloatVector.fromArray(S, c, o6).add(c60).intoArray(c, o6);
        FloatVector.fromArray(S, c, o6 + L).add(c61).intoArray(c, o6 + L);
        FloatVector.fromArray(S, c, o6 + 2 * L).add(c62).intoArray(c, o6 + 2 * L);
        int o7 = co + 7 * ldc;
        FloatVector.fromArray(S, c, o7).add(c70).intoArray(c, o7);
        FloatVector.fromArray(S, c, o7 + L).add(c71).intoArray(c, o7 + L);
        FloatVector.fromArray(S, c, o7 + 2 * L).add(c72).intoArray(c, o7 + 2 * L);
    }

    /** One thread's pack buffers; they only grow, so repeated calls of one size allocate nothing. */
    private static final class Scratch {
        float[] bPack = new float[0];
        float[] aPack = new float[0];
        final float[] tile = new float[MR * NR];

        void ensure(int bSize, int aSize) {
            if (bPack.length < bSize) {
                bPack = new float[bSize];
            }
            if (aPack.length < aSize) {
                aPack = new float[aSize];
            }
        }
    }
}
