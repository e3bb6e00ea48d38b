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
     * Done in double: |x| + 0.5 is exact there for every float below 2^29, so no double rounding.
     */
    static int roundHalfAway(float x) {
        double a = Math.floor(Math.abs((double) x) + 0.5);
        return (int) (x < 0 ? -a : a);
    }
}
