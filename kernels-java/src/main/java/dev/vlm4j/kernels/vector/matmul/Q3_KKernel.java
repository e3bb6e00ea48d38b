package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * q3_K: blocks of 256 = hmask[32], qs[64] (2-bit), 12 bytes packing sixteen 6-bit scales, f16 d
 * at 108. Value = d·(scale − 32)·(q2 − (high bit clear ? 4 : 0)); layout as q2_K, with hmask bit
 * m (one per shift step) giving the high bit.
 */
final class Q3_KKernel extends QuantKernel {
    Q3_KKernel() {
        super(GgmlType.Q3_K);
    }

    /** The 6-bit scale i of a q3_K block: low 4 bits from bytes 0-7, high 2 bits from bytes 8-11. */
    static int scale(MemorySegment w, long scales, int i) {
        int lo = i < 8 ? u8(w, scales + i) & 0xF : u8(w, scales + i - 8) >>> 4;
        int hi = (u8(w, scales + 8 + (i & 3)) >>> (2 * (i >>> 2))) & 3;
        return (lo | hi << 4) - 32;
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off + 108);
        long hm = off, scales = off + 96;
        int is = 0, y = d, m = 1;
        for (int half = 0; half < 2; half++) {
            long q = off + 32 + 32L * half;
            for (int shift = 0; shift < 8; shift += 2, m <<= 1) {
                for (int g = 0; g < 2; g++) {
                    float dl = dd * scale(w, scales, is++);
                    for (int l = 16 * g; l < 16 * g + 16; l++) {
                        int v = ((u8(w, q + l) >>> shift) & 3) - ((u8(w, hm + l) & m) != 0 ? 0 : 4);
                        dst[y++] = dl * v;
                    }
                }
            }
        }
    }
}
