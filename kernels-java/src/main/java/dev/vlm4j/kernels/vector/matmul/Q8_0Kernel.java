package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/** q8_0: blocks of 32 = f16 d, 32 int8; x = d·q. */
final class Q8_0Kernel extends QuantKernel {
    Q8_0Kernel() {
        super(GgmlType.Q8_0);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float sc = f16(w, off);
        for (int j = 0; j < 32; j++) dst[d + j] = w.get(JAVA_BYTE, off + 2 + j) * sc;
    }
}
