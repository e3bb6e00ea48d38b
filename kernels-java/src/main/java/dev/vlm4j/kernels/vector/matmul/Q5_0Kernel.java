package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * q5_0: blocks of 32 = f16 d, 32-bit high-bit mask qh, 16 bytes of low nibbles; element j has
 * high bit {@code qh >> j}; x = d·(q − 16).
 */
final class Q5_0Kernel extends QuantKernel {
    Q5_0Kernel() {
        super(GgmlType.Q5_0);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float sc = f16(w, off);
        int qh = w.get(Simd.I32, off + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(w, off + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10, h1 = (qh >>> (j + 12)) & 0x10;
            dst[d + j] = ((q & 0xF | h0) - 16) * sc;
            dst[d + j + 16] = ((q >>> 4 | h1) - 16) * sc;
        }
    }
}
