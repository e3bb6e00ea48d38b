package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * q5_K: blocks of 256 = f16 d, f16 dmin, 12 bytes of 6-bit scales/mins (as q4_K), qh[32],
 * qs[128]. Each 64 values share 32 nibble bytes; high bits come from qh bit 2j (low nibbles)
 * and 2j+1 (high nibbles).
 */
final class Q5_KKernel extends QuantKernel {
    Q5_KKernel() {
        super(GgmlType.Q5_K);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off), dmin = f16(w, off + 2);
        long scales = off + 4, qh = off + 16, ql = off + 48;
        int y = d;
        for (int j = 0; j < 4; j++) {
            float d1 = dd * Q4_KKernel.scale(w, scales, 2 * j), m1 = dmin * Q4_KKernel.min(w, scales, 2 * j);
            float d2 = dd * Q4_KKernel.scale(w, scales, 2 * j + 1), m2 = dmin * Q4_KKernel.min(w, scales, 2 * j + 1);
            int u1 = 1 << (2 * j), u2 = 2 << (2 * j);
            for (int l = 0; l < 32; l++) {
                dst[y + l] = d1 * ((u8(w, ql + l) & 0xF) + ((u8(w, qh + l) & u1) != 0 ? 16 : 0)) - m1;
                dst[y + 32 + l] = d2 * ((u8(w, ql + l) >>> 4) + ((u8(w, qh + l) & u2) != 0 ? 16 : 0)) - m2;
            }
            y += 64;
            ql += 32;
        }
    }
}
