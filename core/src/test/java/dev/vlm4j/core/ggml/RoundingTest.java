package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void f16NotSmallerIsTheSmallestF16AtLeastAsLarge() {
        long seed = 43L;
        System.out.println("f16NotSmaller seed " + seed);
        Random rnd = new Random(seed);
        for (int i = 0; i < 100_000; i++) {
            float v = (float) (Math.pow(10, rnd.nextDouble() * 12 - 8) * (rnd.nextBoolean() ? 1 : -1));
            float r = Rounding.f16NotSmaller(v);
            assertEquals(r, Float.float16ToFloat(Float.floatToFloat16(r)), "representable: " + v);
            assertEquals(Math.signum(v), Math.signum(r), "sign: " + v);
            assertTrue(Math.abs(r) >= Math.abs(v), v + " -> " + r);
            short below = (short) (Float.floatToFloat16(r) - 1);
            if ((Float.floatToFloat16(r) & 0x7FFF) != 0) {
                assertTrue(Math.abs(Float.float16ToFloat(below)) < Math.abs(v),
                        v + " -> " + r + " is not the smallest");
            }
        }
    }
}
