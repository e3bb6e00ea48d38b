package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/** q4_0: blocks of 32 = f16 d, 16 bytes of nibbles (low nibbles are elements 0-15); x = d·(q − 8). */
final class Q4_0Kernel extends QuantKernel {
    Q4_0Kernel() {
        super(GgmlType.Q4_0);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float sc = f16(w, off);
        for (int j = 0; j < 16; j++) {
            int q = u8(w, off + 2 + j);
            dst[d + j] = ((q & 0xF) - 8) * sc;
            dst[d + j + 16] = ((q >>> 4) - 8) * sc;
        }
    }
}
