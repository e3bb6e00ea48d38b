package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Encode → decode round trips. The data and the error measure are llama.cpp's
 * tests/test-quantize-fns.cpp: x[i] = 0.1 + 2·cos(i + offset) over 4096 elements, and
 * {@code array_rmse} = sqrt(Σ(x − y)²) / n (note: divided by n, not sqrt(n)), bounded there
 * by MAX_QUANTIZATION_TOTAL_ERROR = 0.002 for every 4- to 8-bit type.
 */
class RoundTripTest {
    private static final int N = 4096;
    private static final double LLAMA_CPP_TOTAL_ERROR = 0.002;

    /** llama.cpp's generate_data(offset, n): 0.1 + 2·cosf(i + offset). */
    static float[] cosData(float offset, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.1 + 2 * (float) Math.cos((float) i + offset));
        return x;
    }

    /** llama.cpp's array_rmse: sqrt(Σ(a − b)²) / n. */
    static double arrayRmse(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum) / a.length;
    }

    static float[] roundTrip(GgmlType type, float[] x) {
        MemorySegment blocks = Codecs.encode(type, x);
        assertEquals(type.bytesFor(x.length), blocks.byteSize());
        return Codecs.decode(type, blocks, 0, x.length);
    }

    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_K", "Q6_K", "Q8_0", "Q8_1", "Q8_K"})
    void quantizedTypesMeetLlamaCppTotalError(GgmlType type) {
        for (float offset : new float[] {0.0f, 0.5f, 7.25f}) {
            float[] x = cosData(offset, N);
            double err = arrayRmse(x, roundTrip(type, x));
            System.out.printf("%s offset %.2f: array_rmse %.3g%n", type.displayName(), offset, err);
            assertTrue(err < LLAMA_CPP_TOTAL_ERROR, type + " array_rmse " + err);
        }
    }

    /**
     * A tighter, per-element view of the same data: the RMS error as a fraction of the step of
     * the plain min/max grid a type's block would use (2.1 / levels for amplitude ≈ 2.1).
     * Uniform rounding error alone has RMS step/√12 ≈ 0.29 step; a scale search may only do
     * better. The 0.35 bound leaves room for f16 scale rounding and 6-bit sub-scale rounding.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_K", "Q6_K", "Q8_0", "Q8_1", "Q8_K"})
    void perElementErrorIsAtMostRoundingNoise(GgmlType type) {
        int levels = switch (type) {
            case Q4_0 -> 8;        // symmetric, amax ↦ −8: step = amax / 8
            case Q4_K -> 15;       // asymmetric over [min, max] of 32 (range ≈ 4.2): step ≈ 4.2 / 15
            case Q6_K -> 32;       // symmetric: step = amax / 32
            default -> 127;        // 8-bit: step = amax / 127
        };
        double range = type == GgmlType.Q4_K ? 4.2 : 2.1;
        float[] x = cosData(0.0f, N);
        float[] y = roundTrip(type, x);
        double rms = Math.sqrt(arrayRmse(x, y) * arrayRmse(x, y) * N);
        double step = range / levels;
        System.out.printf("%s: per-element rms %.4g = %.3f steps%n", type.displayName(), rms, rms / step);
        assertTrue(rms < 0.35 * step, type + " rms " + rms + " vs step " + step);
    }

    /** F16 and BF16 must round each element correctly: |x − y| ≤ half an ulp of the format at y. */
    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16"})
    void floatFormatsRoundEachElementToNearest(GgmlType type) {
        int mantissaBits = type == GgmlType.F16 ? 10 : 7;
        float[] x = cosData(0.0f, N);
        float[] y = roundTrip(type, x);
        for (int i = 0; i < N; i++) {
            double halfUlp = Math.ulp(y[i]) * Math.pow(2, 23 - mantissaBits) / 2;
            assertTrue(Math.abs((double) x[i] - y[i]) <= halfUlp, type + " element " + i + ": " + x[i] + " -> " + y[i]);
        }
        double err = arrayRmse(x, y);
        assertTrue(err < (type == GgmlType.F16 ? 2e-5 : 1e-4), type + " array_rmse " + err);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32"})
    void f32IsLossless(GgmlType type) {
        float[] x = cosData(1.0f, N);
        float[] y = roundTrip(type, x);
        for (int i = 0; i < N; i++) assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]));
    }

    /**
     * 8-bit formats on random data spanning magnitudes 1e-3..1e3 per block: every element within
     * half a step of its value. Q8_K stores d as float32, so the step is exact. Q8_0/Q8_1 choose
     * q against the exact d = amax/127 but store d as f16 (subnormal below 6.1e-5, so its
     * rounding error is not relative there): the bound adds 127·|f16(d) − d|.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q8_1", "Q8_K"})
    void eightBitErrorIsHalfAStep(GgmlType type) {
        long seed = 20261128L + type.ordinal();
        System.out.println(type.displayName() + " seed " + seed);
        Random rnd = new Random(seed);
        int n = 8 * 256;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            float scale = (float) Math.pow(10, (i / type.blockSize()) % 7 - 3);
            x[i] = (float) (rnd.nextGaussian() * scale);
        }
        MemorySegment blocks = Codecs.encode(type, x);
        float[] y = Codecs.decode(type, blocks, 0, n);
        int bs = type.blockSize();
        for (int b = 0; b < n / bs; b++) {
            double amax = 0;
            for (int i = b * bs; i < (b + 1) * bs; i++) amax = Math.max(amax, Math.abs(x[i]));
            double exact = amax / 127;
            long off = b * (long) type.typeSize();
            double stored = type == GgmlType.Q8_K
                    ? Math.abs(LittleEndian.f32(blocks, off)) : LittleEndian.f16(blocks, off);
            double bound = exact * (0.5 + 1e-6) + 127 * Math.abs(stored - exact);
            for (int i = b * bs; i < (b + 1) * bs; i++) {
                assertTrue(Math.abs((double) x[i] - y[i]) <= bound,
                        type + " element " + i + ": " + x[i] + " -> " + y[i] + " (d " + stored + ")");
            }
        }
    }

    /**
     * Degenerate blocks: a constant block (positive, negative, tiny) must come back within 1%
     * (every format here can represent a constant up to its scale's f16 rounding), and a block
     * that is zero but for one spike must keep the spike within half a step and stay finite.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q4_0", "Q4_K", "Q6_K", "Q8_0", "Q8_1", "Q8_K"})
    void constantAndSpikeBlocks(GgmlType type) {
        for (float c : new float[] {-3f, 0.5f, 1e-3f}) {
            float[] x = new float[256];
            Arrays.fill(x, c);
            float[] y = roundTrip(type, x);
            for (int i = 0; i < x.length; i++) {
                assertTrue(Math.abs(y[i] - c) <= 0.01 * Math.abs(c), type + " constant " + c + " -> " + y[i]);
            }
        }
        float[] x = new float[256];
        x[77] = 5f;
        float[] y = roundTrip(type, x);
        for (int i = 0; i < x.length; i++) assertTrue(Float.isFinite(y[i]), type + " element " + i + " " + y[i]);
        assertTrue(Math.abs(y[77] - 5f) <= 0.01f * 5f, type + " spike -> " + y[77]);
        for (int i = 0; i < x.length; i++) if (i != 77) assertEquals(0f, y[i], 0.2f, type + " element " + i);
    }
}
