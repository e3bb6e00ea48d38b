package dev.vlm4j.core.ggml;

/** The two integer roundings ggml's quantizers use. */
final class Rounding {
    private Rounding() {}

    /**
     * Round half to even, as ggml's {@code nearest_int} (which adds 1.5·2^23 and reads the
     * mantissa) does for every input in its domain |x| ≤ 2^22.
     */
    static int nearestInt(float x) {
        return (int) Math.rint(x);
    }

    /**
     * Round half away from zero, as C's {@code roundf} (used by the Q8_0/Q8_1 quantizers).
     * For |x| < 2^23 the fractional part x − trunc(x) is exact in float, so comparing it with
     * ±0.5 decides the rounding without a second rounding; larger floats are already integers.
     */
    static int roundHalfAway(float x) {
        int t = (int) x;
        float frac = x - t;
        if (frac >= 0.5f) return t + 1;
        if (frac <= -0.5f) return t - 1;
        return t;
    }

    /**
     * The f16 value nearest to {@code v} among those at least as large in magnitude (same sign).
     * A super-block scale stored this way never shrinks, so sub-block scales computed against
     * it stay within their integer range instead of clipping the block's largest elements;
     * that matters because realistic K-quant super-scales often fall in f16's subnormal range.
     */
    static float f16NotSmaller(float v) {
        short h = Float.floatToFloat16(v);
        float r = Float.float16ToFloat(h);
        if (Math.abs(r) < Math.abs(v)) r = Float.float16ToFloat((short) (h + 1));
        return r;
    }
}
