package dev.uff4j.backend.cpu;

/**
 * The Box-Muller transform of a pair's 24-bit uniforms in float, with the logarithm, cosine and sine written out as
 * polynomials of adds, multiplies, fmas and one division: operations IEEE 754 defines to the bit, so this scalar code
 * and its Vector API twin ({@code VectorNormals}, lane for lane the same operations) give the same numbers,
 * interpreted or compiled, on every machine. (The JDK's vector {@code LOG}, {@code SIN} and {@code COS} would not:
 * compiled they use SVML, interpreted they round through double.) Error against the double-precision transform: a
 * few units in the last place of a float.
 *
 * <ul>
 *   <li>radius = sqrt(-2 ln u1), u1 = (24-bit + 1)·2^-24 in (0, 1]: u1 = m·2^e with m in [0.707, 1.414),
 *       ln u1 = e·ln 2 + 2·atanh(s), s = (m - 1)/(m + 1), |s| ≤ 0.172, the series to s^9;</li>
 *   <li>angle = 2π·u2: 4·u2 = quadrant q + t (exact); the sine and cosine of (π/2)·min(t, 1 - t), at most π/4, by
 *       their series to the 9th and 10th power; the quadrant and the mirror pick which is which and the signs.</li>
 * </ul>
 */
final class FloatNormals implements NoiseKernels.Normals {
    static final float LN2 = 0.6931471805599453f;
    static final float HALF_PI = 1.5707963267948966f;
    static final float SQRT2 = 1.4142135623730951f;
    // 2·atanh(s) = 2s + (2/3)s^3 + (2/5)s^5 + (2/7)s^7 + (2/9)s^9
    static final float A3 = 2f / 3f;
    static final float A5 = 2f / 5f;
    static final float A7 = 2f / 7f;
    static final float A9 = 2f / 9f;
    // sin x = x - x^3/6 + x^5/120 - x^7/5040 + x^9/362880
    static final float S3 = -1f / 6f;
    static final float S5 = 1f / 120f;
    static final float S7 = -1f / 5040f;
    static final float S9 = 1f / 362880f;
    // cos x = 1 - x^2/2 + x^4/24 - x^6/720 + x^8/40320 - x^10/3628800
    static final float C2 = -0.5f;
    static final float C4 = 1f / 24f;
    static final float C6 = -1f / 720f;
    static final float C8 = 1f / 40320f;
    static final float C10 = -1f / 3628800f;

    @Override
    public int group() {
        return 1;
    }

    @Override
    public void fill(long key, long firstPair, int pairs, float[] n0, float[] n1, float[] s0, float[] s1) {
        for (int t = 0; t < pairs; t++) {
            long r1 = NoiseKernels.pairBits(key, firstPair + t);
            float radius = radius((int) (r1 >>> 40));
            int j = (int) (r1 & 0xFFFFFFL);
            n0[t] = radius * cos(j);
            n1[t] = radius * sin(j);
        }
    }

    /** sqrt(-2 ln u1) for u1 = (high24 + 1)·2^-24. */
    static float radius(int high24) {
        float u = (high24 + 1) * 0x1.0p-24f;
        int bits = Float.floatToRawIntBits(u);
        int e = (bits >>> 23) - 127;
        float m = Float.intBitsToFloat((bits & 0x7FFFFF) | 0x3F800000);
        if (m > SQRT2) {
            m *= 0.5f;
            e += 1;
        }
        float s = (m - 1f) / (m + 1f);
        float s2 = s * s;
        float p = Math.fma(s2, A9, A7);
        p = Math.fma(p, s2, A5);
        p = Math.fma(p, s2, A3);
        p = Math.fma(p, s2, 2f);
        float ln = Math.fma(e, LN2, p * s);
        return (float) Math.sqrt(-2f * ln + 0f); // + 0: u1 = 1 gives +0, not -0
    }

    /** cos(2π·j·2^-24) for a 24-bit j. */
    static float cos(int j) {
        return trig(j, true);
    }

    /** sin(2π·j·2^-24) for a 24-bit j. */
    static float sin(int j) {
        return trig(j, false);
    }

    private static float trig(int j, boolean cosine) {
        int q = j >>> 22;                           // quadrant of the angle
        float t = (j & 0x3FFFFF) * 0x1.0p-22f;      // position in it, [0, 1), exact
        boolean mirror = t > 0.5f;
        float x = (mirror ? 1f - t : t) * HALF_PI;  // at most π/4
        float x2 = x * x;
        float sp = Math.fma(x2, S9, S7);
        sp = Math.fma(sp, x2, S5);
        sp = Math.fma(sp, x2, S3);
        float sinX = Math.fma(sp * x2, x, x);
        float cp = Math.fma(x2, C10, C8);
        cp = Math.fma(cp, x2, C6);
        cp = Math.fma(cp, x2, C4);
        cp = Math.fma(cp, x2, C2);
        float cosX = Math.fma(cp, x2, 1f);
        // sin and cos of (π/2)t: mirrored, each is the other's of (π/2)(1 - t)
        float sinT = mirror ? cosX : sinX;
        float cosT = mirror ? sinX : cosX;
        // the quadrant q adds qπ/2
        float r = switch (q) {
            case 0 -> cosine ? cosT : sinT;
            case 1 -> cosine ? -sinT : cosT;
            case 2 -> cosine ? -cosT : -sinT;
            default -> cosine ? sinT : -cosT;
        };
        return r;
    }
}
