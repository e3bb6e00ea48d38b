package dev.vlm4j.kernels.vector.matmul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The matmul F16 kernel's in-register widening ({@link Simd#loadF16}, reached through
 * {@link F16Kernel#decodePanel}) against {@link Float#float16ToFloat} for all 65536 bit patterns:
 * zeros, subnormals (converted without denormal float arithmetic), normals, infinities, NaNs.
 */
class F16KernelConversionTest {
    @Test
    void everyHalfFloatWidensExactly() {
        int n = 65536;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2L * n + 1);
            // odd byte offset: the kernel reads unaligned mapped memory
            MemorySegment w = seg.asSlice(1, 2L * n);
            for (int i = 0; i < n; i++) w.set(Simd.I16, 2L * i, (short) i);
            float[] got = new float[n];
            // one row [n] decoded as one panel: the vector loop covers every pattern (n is a multiple of L)
            new F16Kernel().decodePanel(w, 2L * n, 0, 1, 0, n, got);
            for (int i = 0; i < n; i++) {
                float want = Float.float16ToFloat((short) i);
                String what = "bits 0x" + Integer.toHexString(i) + " want " + want + " got " + got[i];
                if (Float.isNaN(want)) {
                    assertTrue(Float.isNaN(got[i]), what);
                } else {
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), what);
                }
            }
        }
    }
}
