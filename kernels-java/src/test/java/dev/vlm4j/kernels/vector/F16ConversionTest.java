package dev.vlm4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** The in-register F16 → F32 widening against {@link Float#float16ToFloat} for all 65536 bit patterns. */
class F16ConversionTest {
    @Test
    void everyHalfFloatWidensExactly() {
        try (Arena arena = Arena.ofShared()) {
            int n = 65536 + 3; // plus a tail shorter than one vector
            MemorySegment seg = arena.allocate(2L * n);
            for (int i = 0; i < n; i++) seg.set(Simd.I16, 2L * i, (short) i);
            float[] got = new float[n];
            RowWidener.TABLE.get(GgmlType.F16).load(seg, 0, got, 0, n);
            for (int i = 0; i < n; i++) {
                float want = Float.float16ToFloat((short) i);
                // NaN payloads may differ; NaN must stay NaN
                if (Float.isNaN(want)) {
                    assertEquals(true, Float.isNaN(got[i]), "bits 0x" + Integer.toHexString(i & 0xFFFF));
                } else {
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]),
                            "bits 0x" + Integer.toHexString(i & 0xFFFF) + " want " + want + " got " + got[i]);
                }
            }
        }
    }
}
