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
}
