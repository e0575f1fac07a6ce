package dev.uff4j.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.uff4j.backend.cpu.FloatNormals.A3;
import static dev.uff4j.backend.cpu.FloatNormals.A5;
import static dev.uff4j.backend.cpu.FloatNormals.A7;
import static dev.uff4j.backend.cpu.FloatNormals.A9;
import static dev.uff4j.backend.cpu.FloatNormals.C10;
import static dev.uff4j.backend.cpu.FloatNormals.C2;
import static dev.uff4j.backend.cpu.FloatNormals.C4;
import static dev.uff4j.backend.cpu.FloatNormals.C6;
import static dev.uff4j.backend.cpu.FloatNormals.C8;
import static dev.uff4j.backend.cpu.FloatNormals.HALF_PI;
import static dev.uff4j.backend.cpu.FloatNormals.LN2;
import static dev.uff4j.backend.cpu.FloatNormals.S3;
import static dev.uff4j.backend.cpu.FloatNormals.S5;
import static dev.uff4j.backend.cpu.FloatNormals.S7;
import static dev.uff4j.backend.cpu.FloatNormals.S9;
import static dev.uff4j.backend.cpu.FloatNormals.SQRT2;

/**
 * {@link FloatNormals} on the Vector API, a vector of pairs at a time: lane for lane the same IEEE operations, so
 * the same bits as the scalar code (and so whatever the tier that runs it). Pairs are drawn in groups aligned to the
 * vector length. Loaded, like {@code VectorGemm}, only when the Vector API module is present.
 *
 * <p>All integer work (hashing, exponent and mantissa, quadrant) runs in a scalar pre-pass; the vector code is float
 * arithmetic, compares and blends only. On JDK 17, C2 does not intrinsify the integer shifts and int/float
 * conversions of the first version, which then boxed every vector on the heap (0.5 MB a training step,
 * SteadyStateAllocationTest); vectors also pass between methods through arrays, never as arguments.
 */
final class VectorNormals implements NoiseKernels.Normals {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = FS.length();
    /** The mantissa bits of {@code FloatNormals.SQRT2}: m > sqrt(2) exactly when m's mantissa bits are larger. */
    private static final int MANTISSA_SQRT2 = Float.floatToRawIntBits(SQRT2) & 0x7FFFFF;

    @Override
    public int group() {
        return LANES;
    }

    /**
     * The scalar pre-pass leaves, per pair, the logarithm's mantissa m in n0 and exponent e in s0, and the angle's
     * mirrored position x in n1 with its quadrant and mirror flag (q + 4·mirror) in s1, each exact as a float; the
     * vector pass turns them into the two normals in n0 and n1.
     */
    @Override
    public void fill(long key, long firstPair, int pairs, float[] n0, float[] n1, float[] s0, float[] s1) {
        for (int t = 0; t < pairs; t++) { // branch-free: the two flags are coin flips a branch would mispredict
            long r1 = NoiseKernels.pairBits(key, firstPair + t);
            int bits = Float.floatToRawIntBits(((int) (r1 >>> 40) + 1) * 0x1.0p-24f);
            int mantissa = bits & 0x7FFFFF;
            int big = (MANTISSA_SQRT2 - mantissa) >>> 31;               // m > sqrt(2): halve m, one more to e
            n0[t] = Float.intBitsToFloat(mantissa | (0x3F800000 - (big << 23)));
            s0[t] = (bits >>> 23) - 127 + big;
            int j = (int) (r1 & 0xFFFFFFL);
            int low = j & 0x3FFFFF;
            int mirror = (0x200000 - low) >>> 31;                          // position > 1/2
            n1[t] = (low + mirror * (0x400000 - 2 * low)) * 0x1.0p-22f;  // exact, as 1 - position is
            s1[t] = (j >>> 22) + 4 * mirror;
        }
        for (int t = 0; t < pairs; t += LANES) {
            radius(n0, s0, t);
            trig(n0, n1, s1, t);
        }
    }

    /** n0[at..] = sqrt(-2 ln u1), ln u1 = e·ln 2 + 2·atanh((m - 1)/(m + 1)), m = n0[at..], e = s0[at..]. */
    private static void radius(float[] n0, float[] s0, int at) {
        FloatVector m = FloatVector.fromArray(FS, n0, at);
        FloatVector e = FloatVector.fromArray(FS, s0, at);
        FloatVector s = m.sub(1f).div(m.add(1f));
        FloatVector s2 = s.mul(s);
        FloatVector p = s2.fma(v(A9), v(A7));
        p = p.fma(s2, v(A5));
        p = p.fma(s2, v(A3));
        p = p.fma(s2, v(2f));
        FloatVector ln = e.fma(v(LN2), p.mul(s));
        ln.mul(-2f).add(0f).lanewise(VectorOperators.SQRT).intoArray(n0, at);
    }

    /**
     * n0 = radius·cos, n1 = radius·sin of the pair's angle: radius = n0[at..], x = n1[at..] (the mirrored position
     * in the quadrant), code = s1[at..] = quadrant + 4·mirror.
     */
    private static void trig(float[] n0, float[] n1, float[] s1, int at) {
        FloatVector radius = FloatVector.fromArray(FS, n0, at);
        FloatVector code = FloatVector.fromArray(FS, s1, at);
        VectorMask<Float> mirror = code.compare(VectorOperators.GE, 4f);
        FloatVector q = code.blend(code.sub(4f), mirror);
        FloatVector x = FloatVector.fromArray(FS, n1, at).mul(HALF_PI);
        FloatVector x2 = x.mul(x);
        FloatVector sp = x2.fma(v(S9), v(S7));
        sp = sp.fma(x2, v(S5));
        sp = sp.fma(x2, v(S3));
        FloatVector sinX = sp.mul(x2).fma(x, x);
        FloatVector cp = x2.fma(v(C10), v(C8));
        cp = cp.fma(x2, v(C6));
        cp = cp.fma(x2, v(C4));
        cp = cp.fma(x2, v(C2));
        FloatVector cosX = cp.fma(x2, v(1f));
        FloatVector sinT = sinX.blend(cosX, mirror);
        FloatVector cosT = cosX.blend(sinX, mirror);
        VectorMask<Float> q1 = q.compare(VectorOperators.EQ, 1f);
        VectorMask<Float> q2 = q.compare(VectorOperators.EQ, 2f);
        VectorMask<Float> q3 = q.compare(VectorOperators.EQ, 3f);
        FloatVector cos = cosT.blend(sinT.neg(), q1).blend(cosT.neg(), q2).blend(sinT, q3);
        FloatVector sin = sinT.blend(cosT, q1).blend(sinT.neg(), q2).blend(cosT.neg(), q3);
        radius.mul(cos).intoArray(n0, at);
        radius.mul(sin).intoArray(n1, at);
    }

    private static FloatVector v(float x) {
        return FloatVector.broadcast(FS, x);
    }
}
