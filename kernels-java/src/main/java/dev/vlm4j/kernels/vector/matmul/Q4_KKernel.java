package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * q4_K: blocks of 256 = f16 d, f16 dmin, 12 bytes packing eight 6-bit scales and mins, 128 bytes
 * of nibbles. Each 64 values share 32 bytes: low nibbles use scale/min 2j, high nibbles 2j+1;
 * x = d·scale·q − dmin·min.
 */
final class Q4_KKernel extends QuantKernel {
    Q4_KKernel() {
        super(GgmlType.Q4_K);
    }

    /** 6-bit scale j (0-7) of the 12-byte q4_K/q5_K scale field at {@code scales}. */
    static int scale(MemorySegment w, long scales, int j) {
        return j < 4 ? u8(w, scales + j) & 63 : (u8(w, scales + j + 4) & 0xF) | ((u8(w, scales + j - 4) >>> 6) << 4);
    }

    /** 6-bit min j (0-7) of the 12-byte q4_K/q5_K scale field at {@code scales}. */
    static int min(MemorySegment w, long scales, int j) {
        return j < 4 ? u8(w, scales + j + 4) & 63 : (u8(w, scales + j + 4) >>> 4) | ((u8(w, scales + j) >>> 6) << 4);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off), dmin = f16(w, off + 2);
        long scales = off + 4, q = off + 16;
        int y = d;
        for (int j = 0; j < 4; j++) {
            float d1 = dd * scale(w, scales, 2 * j), m1 = dmin * min(w, scales, 2 * j);
            float d2 = dd * scale(w, scales, 2 * j + 1), m2 = dmin * min(w, scales, 2 * j + 1);
            for (int l = 0; l < 32; l++) {
                int b = u8(w, q + l);
                dst[y + l] = d1 * (b & 0xF) - m1;
                dst[y + 32 + l] = d2 * (b >>> 4) - m2;
            }
            y += 64;
            q += 32;
        }
    }
}
