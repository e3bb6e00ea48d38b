package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two roundings against independent formulations of C's roundf and ggml's nearest_int. */
class RoundingTest {

    /** ggml's nearest_int: add 1.5·2^23 in float (rounding to nearest even) and read the mantissa. */
    private static int magicNearest(float x) {
        int bits = Float.floatToRawIntBits(x + 12582912.f);
        return (bits & 0x007fffff) - 0x00400000;
    }

    /** C's roundf, in double: sign(x)·floor(|x| + 1/2), exact for these magnitudes. */
    private static int cRoundf(float x) {
        double a = Math.floor(Math.abs((double) x) + 0.5);
        return (int) (x < 0 ? -a : a);
    }

    @Test
    void tiesAndRandomValues() {
        float[] special = {0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 126.5f, -127.5f,
            0.49999997f, -0.49999997f, Math.nextUp(0.5f), 4194303f, -4194303f, 1e-30f};
        for (float x : special) check(x);
        long seed = 42L;
        System.out.println("rounding seed " + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < 200_000; i++) {
            check((float) ((rnd.nextDouble() * 2 - 1) * 300));
            check((rnd.nextInt(601) - 300) / 2.0f); // exact halves
        }
    }

    private static void check(float x) {
        assertEquals(magicNearest(x), Rounding.nearestInt(x), "nearestInt(" + x + ")");
        assertEquals(cRoundf(x), Rounding.roundHalfAway(x), "roundHalfAway(" + x + ")");
    }
}
