package dev.vlm4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The inlined vector exp against float64 {@link Math#exp}: relative error, range ends, special values. */
class VectorMathTest {
    @Test
    void expWithinTwoUlpOverTheNormalRange() {
        long seed = 17;
        System.out.println("seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[Simd.L], y = new float[Simd.L];
        double worst = 0;
        for (int it = 0; it < 200_000; it++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = it < 100_000 ? (float) (random.nextDouble() * 175.3 - 87.3) : (float) (random.nextDouble() * 20 - 10);
            }
            VectorMath.exp(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < x.length; i++) {
                double want = Math.exp(x[i]);
                double ulp = Math.ulp((float) want);
                worst = Math.max(worst, Math.abs(y[i] - want) / ulp);
            }
        }
        assertTrue(worst <= 2.0, "worst error " + worst + " ulp");
    }

    @Test
    void specialValues() {
        float[] x = new float[Simd.L];
        float[] in = {0f, Float.NEGATIVE_INFINITY, -100f, -87.5f, 88f, Float.NaN, 1f, -1f};
        System.arraycopy(in, 0, x, 0, Math.min(in.length, x.length));
        float[] y = new float[Simd.L];
        VectorMath.exp(FloatVector.fromArray(Simd.F, x, 0)).intoArray(y, 0);
        assertEquals(1f, y[0]);
        if (Simd.L >= 8) {
            assertEquals(0f, y[1], "exp(-inf)");
            assertEquals(0f, y[2], "exp(-100)");
            assertEquals(0f, y[3], "exp(-87.5) is below the normal range");
            assertEquals((float) Math.exp(88), y[4], Math.ulp((float) Math.exp(88)) * 2);
            assertTrue(Float.isNaN(y[5]), "NaN stays NaN");
            assertEquals((float) Math.E, y[6], Math.ulp((float) Math.E) * 2);
        }
    }
}
