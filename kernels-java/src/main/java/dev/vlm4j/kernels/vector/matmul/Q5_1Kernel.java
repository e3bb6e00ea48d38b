package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/** q5_1: blocks of 32 = f16 d, f16 m, 32-bit high-bit mask, 16 bytes of low nibbles; x = d·q + m. */
final class Q5_1Kernel extends QuantKernel {
    Q5_1Kernel() {
        super(GgmlType.Q5_1);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float sc = f16(w, off), m = f16(w, off + 2);
        int qh = w.get(Simd.I32, off + 4);
        for (int j = 0; j < 16; j++) {
            int q = u8(w, off + 8 + j);
            int h0 = ((qh >>> j) << 4) & 0x10, h1 = (qh >>> (j + 12)) & 0x10;
            dst[d + j] = (q & 0xF | h0) * sc + m;
            dst[d + j + 16] = (q >>> 4 | h1) * sc + m;
        }
    }
}
