package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * exp on float vectors, inlined (no call into the platform's vector math library, whose per-call
 * cost dominated the attention softmax). Range reduction x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split
 * in two parts), a degree-6 polynomial for e^r (Cephes' expf coefficients), and 2^n built in the
 * exponent bits. Relative error ≤ 2 ulp on [−87.3, 88]; below −87.3 the result is 0 (the true value
 * is below float's normal range), above 88 it is clamped to e^88 ≈ 1.65e38, and NaN stays NaN.
 */
final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float MIN_X = -87.33654f;
    private static final float MAX_X = 88.0f;
    /** 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);

    private VectorMath() {}

    static FloatVector exp(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.LT, MIN_X);
        FloatVector c = x.max(MIN_X).min(MAX_X);
        FloatVector t = c.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUND_MAGIC));
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, 1.9875691500e-4f), FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // n as an integer sits in t's low mantissa bits; shift (n + 127) into the exponent field
        IntVector bits = ((IntVector) t.reinterpretAsInts()).sub(ROUND_MAGIC_BITS).add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(bits.reinterpretAsFloats()).blend(0f, under);
    }
}
