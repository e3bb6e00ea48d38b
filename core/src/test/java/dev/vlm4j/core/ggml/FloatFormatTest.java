package dev.vlm4j.core.ggml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * F16 and BF16 special values. Expected bit patterns come from the IEEE 754 binary16 format and
 * from ggml's bf16 rules (round to nearest even on the dropped 16 bits; NaN keeps sign and top
 * payload, forced quiet with bit 6), not from our own output.
 */
class FloatFormatTest {

    private static short encodeOne(GgmlType type, float v) {
        MemorySegment seg = MemorySegment.ofArray(new byte[2]);
        Codecs.encoder(type).encode(new float[] {v}, 0, 1, seg, 0);
        return LittleEndian.i16(seg, 0);
    }

    private static float decodeOne(GgmlType type, int bits) {
        MemorySegment seg = MemorySegment.ofArray(new byte[2]);
        LittleEndian.putI16(seg, 0, bits);
        return Codecs.decode(type, seg, 0, 1)[0];
    }

    private static void assertBits(int expected, short got, String what) {
        assertEquals(expected & 0xFFFF, got & 0xFFFF,
                what + ": expected 0x" + Integer.toHexString(expected & 0xFFFF) + ", got 0x" + Integer.toHexString(got & 0xFFFF));
    }

    @Test
    void f16Decode() {
        assertEquals(Float.POSITIVE_INFINITY, decodeOne(GgmlType.F16, 0x7C00));
        assertEquals(Float.NEGATIVE_INFINITY, decodeOne(GgmlType.F16, 0xFC00));
        assertTrue(Float.isNaN(decodeOne(GgmlType.F16, 0x7E00)));
        assertTrue(Float.isNaN(decodeOne(GgmlType.F16, 0x7C01)));
        assertEquals(0x8000_0000, Float.floatToRawIntBits(decodeOne(GgmlType.F16, 0x8000)));
        assertEquals(0x1p-24f, decodeOne(GgmlType.F16, 0x0001));          // smallest subnormal
        assertEquals(0x3FFp-24f, decodeOne(GgmlType.F16, 0x03FF));        // largest subnormal
        assertEquals(0x1p-14f, decodeOne(GgmlType.F16, 0x0400));          // smallest normal
        assertEquals(65504f, decodeOne(GgmlType.F16, 0x7BFF));
        assertEquals(-2f, decodeOne(GgmlType.F16, 0xC000));
    }

    @Test
    void f16EncodeRoundsToNearestEven() {
        assertBits(0x3C00, encodeOne(GgmlType.F16, 1f + 0x1p-11f), "1 + half ulp ties to even (down)");
        assertBits(0x3C02, encodeOne(GgmlType.F16, 1f + 0x3p-11f), "1 + 1.5 ulp ties to even (up)");
        assertBits(0x3C01, encodeOne(GgmlType.F16, 1f + 0x1p-11f + 0x1p-20f), "above the tie rounds up");
        assertBits(0x7BFF, encodeOne(GgmlType.F16, 65519f), "below the overflow tie");
        assertBits(0x7C00, encodeOne(GgmlType.F16, 65520f), "overflow tie goes to inf");
        assertBits(0xFC00, encodeOne(GgmlType.F16, Float.NEGATIVE_INFINITY), "-inf");
        assertBits(0x0000, encodeOne(GgmlType.F16, 0x1p-25f), "half the smallest subnormal ties to 0");
        assertBits(0x0001, encodeOne(GgmlType.F16, 0x1.8p-25f), "above it rounds to the subnormal");
        assertBits(0x0002, encodeOne(GgmlType.F16, 0x3p-25f), "subnormal tie to even");
        assertBits(0x8000, encodeOne(GgmlType.F16, -0f), "-0");
        short nan = encodeOne(GgmlType.F16, Float.NaN);
        assertEquals(0x7C00, nan & 0x7C00, "NaN exponent");
        assertTrue((nan & 0x03FF) != 0, "NaN stays NaN");
    }

    @Test
    void bf16Decode() {
        assertEquals(Float.POSITIVE_INFINITY, decodeOne(GgmlType.BF16, 0x7F80));
        assertEquals(Float.NEGATIVE_INFINITY, decodeOne(GgmlType.BF16, 0xFF80));
        assertTrue(Float.isNaN(decodeOne(GgmlType.BF16, 0x7FC0)));
        assertEquals(0x1p-133f, decodeOne(GgmlType.BF16, 0x0001));        // smallest subnormal
        assertEquals(1f, decodeOne(GgmlType.BF16, 0x3F80));
        assertEquals(-1.5f, decodeOne(GgmlType.BF16, 0xBFC0));
        assertEquals(0x8000_0000, Float.floatToRawIntBits(decodeOne(GgmlType.BF16, 0x8000)));
    }

    @Test
    void bf16EncodeAsGgml() {
        assertBits(0x3F80, encodeOne(GgmlType.BF16, 1f + 0x1p-8f), "tie to even (down)");
        assertBits(0x3F82, encodeOne(GgmlType.BF16, 1f + 0x3p-8f), "tie to even (up)");
        assertBits(0x3F81, encodeOne(GgmlType.BF16, 1f + 0x1p-8f + 0x1p-20f), "above the tie");
        assertBits(0x7F80, encodeOne(GgmlType.BF16, Float.MAX_VALUE), "overflow to inf");
        assertBits(0x7F80, encodeOne(GgmlType.BF16, Float.POSITIVE_INFINITY), "inf");
        assertBits(0xFF80, encodeOne(GgmlType.BF16, Float.NEGATIVE_INFINITY), "-inf");
        assertBits(0x0008, encodeOne(GgmlType.BF16, 0x1p-130f), "exact subnormal (2^19 · 2^-149)");
        assertBits(0x0000, encodeOne(GgmlType.BF16, Float.MIN_VALUE), "tiny subnormal rounds to 0");
        assertBits(0x8000, encodeOne(GgmlType.BF16, -0f), "-0");
        assertBits(0x7FC0, encodeOne(GgmlType.BF16, Float.intBitsToFloat(0x7F80_0001)), "signalling NaN made quiet");
        assertBits(0x7FE0, encodeOne(GgmlType.BF16, Float.intBitsToFloat(0x7FA0_0000)), "NaN keeps top payload");
        assertBits(0xFFC0, encodeOne(GgmlType.BF16, Float.intBitsToFloat(0xFFC0_0000)), "negative NaN");
        assertBits(0x7FC0, encodeOne(GgmlType.BF16, Float.intBitsToFloat(0x7FC0_FFFF)), "NaN payload is not rounded");
    }
}
