package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * q6_K: blocks of 256 = ql[128] (low nibbles), qh[64] (2 high bits each), 16 int8 scales, f16 d
 * at 208. Each 128-value half uses 64 ql bytes and 32 qh bytes: value l + 32i takes its low
 * nibble from ql[l + 32(i&1)] (low half for i &lt; 2) and its high bits from qh[l] bits 2i..2i+1;
 * x = d·scale[l/16 + 2i]·(q − 32).
 */
final class Q6_KKernel extends QuantKernel {
    Q6_KKernel() {
        super(GgmlType.Q6_K);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off + 208);
        for (int half = 0; half < 2; half++) {
            long ql = off + 64L * half, qh = off + 128 + 32L * half, sc = off + 192 + 8L * half;
            int y = d + 128 * half;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int a = u8(w, ql + l), b = u8(w, ql + l + 32), h = u8(w, qh + l);
                int q1 = ((a & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((b & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                int q3 = ((a >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                int q4 = ((b >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                dst[y + l] = dd * w.get(JAVA_BYTE, sc + is) * q1;
                dst[y + l + 32] = dd * w.get(JAVA_BYTE, sc + is + 2) * q2;
                dst[y + l + 64] = dd * w.get(JAVA_BYTE, sc + is + 4) * q3;
                dst[y + l + 96] = dd * w.get(JAVA_BYTE, sc + is + 6) * q4;
            }
        }
    }
}
