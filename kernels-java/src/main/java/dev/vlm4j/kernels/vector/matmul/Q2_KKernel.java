package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * q2_K: blocks of 256 = 16 scale bytes (low nibble scale, high nibble min, per 16 values),
 * 64 bytes of 2-bit quants, f16 d at 80, f16 dmin at 82. Each 128-value half uses 32 quant bytes
 * four times (shifts 0, 2, 4, 6), 32 values per shift in two groups of 16.
 */
final class Q2_KKernel extends QuantKernel {
    Q2_KKernel() {
        super(GgmlType.Q2_K);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off + 80), dmin = f16(w, off + 82);
        int is = 0, y = d;
        for (int half = 0; half < 2; half++) {
            long q = off + 16 + 32L * half;
            for (int shift = 0; shift < 8; shift += 2) {
                for (int g = 0; g < 2; g++) {
                    int sc = u8(w, off + is++);
                    float dl = dd * (sc & 0xF), ml = dmin * (sc >>> 4);
                    for (int l = 0; l < 16; l++) dst[y++] = dl * ((u8(w, q + 16 * g + l) >>> shift) & 3) - ml;
                }
            }
        }
    }
}
