package dev.uff4j.backend.cpu;

import java.util.Arrays;

/**
 * Pure-Java cache-blocked GEMM, the fallback when the Vector API module is absent.
 *
 * <p>Why it is shaped like this: JDK 17's C2 vectorises {@code x[j] += s * y[j]} only when all arrays in the loop are
 * indexed with the same expression; with different offsets into flat arrays ({@code c[co + j] += a * b[bo + j]}) its
 * alias analysis gives up and the loop runs scalar (about 5 vs 30 GFLOP/s, see shared/notes/cpu-gemm.md). So the
 * kernel works on row arrays indexed from 0:
 * <ul>
 *   <li>B is packed, per column block of {@value #NC} columns, into {@code k} row arrays ({@code op(B)} row p, columns
 *       jc..jc+nc); transposition is handled here, so one kernel serves all four transA/transB cases.</li>
 *   <li>C rows of the block are copied into row arrays (or zeroed when not accumulating) and copied back at the end.</li>
 *   <li>A is packed into groups of {@value #MR} rows, k-major, so the kernel reads its scalars contiguously.</li>
 *   <li>The micro-kernel updates {@value #MR} C rows with {@value #KU} k-steps per pass over j:
 *       {@code c0[j] = ((c0[j] + a00*b0[j]) + a01*b1[j]) + a02*b2[j]} and the same for c1: one load and store of C
 *       per three k-steps, AVX-512 code from C2.</li>
 * </ul>
 * The tile is small because C2 only unrolls (and so only vectorises) a loop whose body stays under its node budget
 * ({@code LoopUnrollLimit}): larger tiles are not vectorised at all (docs/performance.md, calibration).
 *
 * <p>Determinism: every C element is {@code C0 + a(i,0)b(0,j) + a(i,1)b(1,j) + ...}, added strictly in k order
 * (C0 = 0 when not accumulating) whatever the blocking, the thread count or how rows/columns are split; work is split
 * over m or n only, never over k. The result is therefore the same bits as a plain i-k-j loop.
 *
 * <p>Blocking, measured with the UFF shapes (k = 128..784) on the dev machine (48 KiB L1d, 1 MiB L2 per core):
 * {@value #NC} columns keep the j loop long enough to amortise C2's pre- and post-loops while the 2 C rows and 3 B rows
 * it touches (10 KiB) stay in L1; {@value #KC} k-rows of B (256 KiB) stay in L2 while the C rows of a
 * {@value #MC}-row block are swept. The speed is flat around these values (docs/performance.md, calibration).
 * Not thread-safe for concurrent {@link #multiply} calls on one instance (calls are serialised by a lock).
 */
final class BlockedGemm extends TiledGemm {

    /** Rows of C updated per kernel pass. */
    static final int MR = 2;
    /** k-steps per kernel pass (C is loaded and stored once per KU steps). */
    static final int KU = 3;
    /** Columns per block (length of the vectorised j loop). */
    static final int NC = 512;
    /** Rows of C per block (C rows buffer and A pack size). */
    static final int MC = 64;
    /** k-rows of B swept per pass over the MC block (B block in L2). */
    static final int KC = 128;
    /**
     * Time to pack one A / B / transposed-B element, in multiply-adds of the kernel, for {@link Gemms#splitRows}.
     * B rows are copied with {@code System.arraycopy} (cheap); a transposed B is gathered element by element.
     * Calibrated so that the split they pick is the faster one on each of the four UFF shapes (splitting n shortens
     * the vectorised j loop; splitting m makes every thread transpose all of B): docs/performance.md, calibration.
     */
    static final double PACK_A_WEIGHT = 4;
    static final double PACK_B_WEIGHT = 1;
    static final double PACK_BT_WEIGHT = 16;
    /**
     * Below this many multiply-adds (m*n*k) the call runs on the calling thread only: about 15 us of work for this
     * kernel, while handing a part to a worker costs 0.2 us when it is spinning and about 10 us when it has parked.
     */
    static final long PARALLEL_MIN_FMAS = 1L << 19;

    private final Scratch[] scratch;

    BlockedGemm(WorkerPool pool) {
        super(pool, MR, 16, PARALLEL_MIN_FMAS, PACK_A_WEIGHT, PACK_B_WEIGHT, PACK_BT_WEIGHT);
        this.scratch = new Scratch[pool.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch();
        }
    }

    @Override
    public String name() {
        return "blocked";
    }

    /** C[i0:i1, j0:j1] (+)= op(A)[i0:i1, :] op(B)[:, j0:j1]; columns are split in units of 16 (a vector). */
    @Override
    void compute(int part, int i0, int i1, int j0, int j1) {
        Scratch s = scratch[part];
        s.ensure(k, Math.min(NC, j1 - j0), Math.min(MC, i1 - i0));
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            packB(s.bRows, jc, nc);
            for (int ic = i0; ic < i1; ic += MC) {
                int mc = Math.min(MC, i1 - ic);
                int mcPad = (mc + MR - 1) / MR * MR;
                packA(s.aPack, ic, mc, mcPad);
                loadC(s.cRows, ic, mc, jc, nc);
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    for (int ig = 0; ig < mcPad; ig += MR) {
                        kernel(s.aPack, (ig * k + pc * MR), s.bRows, pc, kc, s.cRows, ig, nc);
                    }
                }
                storeC(s.cRows, ic, mc, jc, nc);
            }
        }
    }

    /** op(B) rows 0..k, columns jc..jc+nc, into rows[p][0..nc). */
    private void packB(float[][] rows, int jc, int nc) {
        if (!transB) {
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, bOff + p * ldb + jc, rows[p], 0, nc);
            }
            return;
        }
        // op(B)[p][j] = b[(jc + j) * ldb + p]: transpose in strips of 16 k-rows to keep the written rows in L1.
        for (int p0 = 0; p0 < k; p0 += 16) {
            int p1 = Math.min(k, p0 + 16);
            for (int j = 0; j < nc; j++) {
                int src = bOff + (jc + j) * ldb;
                for (int p = p0; p < p1; p++) {
                    rows[p][j] = b[src + p];
                }
            }
        }
    }

    /** op(A) rows ic..ic+mc as groups of MR rows, k-major: pack[(g*k + p)*MR + r]; padded rows are zero. */
    private void packA(float[] pack, int ic, int mc, int mcPad) {
        for (int g = 0; g < mcPad; g += MR) {
            int base = g * k;
            int rows = Math.min(MR, mc - g);
            if (rows < MR) {
                Arrays.fill(pack, base, base + k * MR, 0f);
            }
            if (!transA) {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + g + r) * lda;
                    for (int p = 0; p < k; p++) {
                        pack[base + p * MR + r] = a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < k; p++) {
                    int src = aOff + p * lda + ic + g;
                    int dst = base + p * MR;
                    for (int r = 0; r < rows; r++) {
                        pack[dst + r] = a[src + r];
                    }
                }
            }
        }
    }

    private void loadC(float[][] rows, int ic, int mc, int jc, int nc) {
        for (int i = 0; i < mc; i++) {
            if (accumulate) {
                System.arraycopy(c, cOff + (ic + i) * ldc + jc, rows[i], 0, nc);
            } else {
                Arrays.fill(rows[i], 0, nc, 0f);
            }
        }
    }

    private void storeC(float[][] rows, int ic, int mc, int jc, int nc) {
        for (int i = 0; i < mc; i++) {
            System.arraycopy(rows[i], 0, c, cOff + (ic + i) * ldc + jc, nc);
        }
    }

    /**
     * Rows cr[ig..ig+MR) += A group (at pack[ao], MR values per k-step) x B rows pc..pc+kc, columns 0..nc.
     * Each element gets its k terms added one by one in k order.
     */
    private static void kernel(float[] pack, int ao, float[][] bRows, int pc, int kc, float[][] cr, int ig, int nc) {
        float[] c0 = cr[ig];
        float[] c1 = cr[ig + 1];
        int p = 0;
        for (; p + KU <= kc; p += KU, ao += MR * KU) {
            float[] b0 = bRows[pc + p];
            float[] b1 = bRows[pc + p + 1];
            float[] b2 = bRows[pc + p + 2];
            float a00 = pack[ao], a10 = pack[ao + 1];
            float a01 = pack[ao + 2], a11 = pack[ao + 3];
            float a02 = pack[ao + 4], a12 = pack[ao + 5];
            for (int j = 0; j < nc; j++) {
                float x0 = b0[j];
                float x1 = b1[j];
                float x2 = b2[j];
                c0[j] = ((c0[j] + a00 * x0) + a01 * x1) + a02 * x2;
                c1[j] = ((c1[j] + a10 * x0) + a11 * x1) + a12 * x2;
            }
        }
        for (; p < kc; p++, ao += MR) {
            float[] b0 = bRows[pc + p];
            float a0 = pack[ao], a1 = pack[ao + 1];
            for (int j = 0; j < nc; j++) {
                float x0 = b0[j];
                c0[j] += a0 * x0;
                c1[j] += a1 * x0;
            }
        }
    }

    /** One thread's pack buffers; they only grow, so repeated calls of one size allocate nothing. */
    private static final class Scratch {
        float[][] bRows = new float[0][];
        float[][] cRows = new float[0][];
        float[] aPack = new float[0];

        void ensure(int k, int nc, int mc) {
            bRows = grow(bRows, k, nc);
            int mcPad = (mc + MR - 1) / MR * MR;
            cRows = grow(cRows, mcPad, nc);
            if (aPack.length < mcPad * k) {
                aPack = new float[mcPad * k];
            }
        }

        private static float[][] grow(float[][] rows, int count, int len) {
            if (rows.length < count) {
                rows = Arrays.copyOf(rows, count);
            }
            for (int i = 0; i < count; i++) {
                if (rows[i] == null || rows[i].length < len) {
                    rows[i] = new float[len];
                }
            }
            return rows;
        }
    }
}
