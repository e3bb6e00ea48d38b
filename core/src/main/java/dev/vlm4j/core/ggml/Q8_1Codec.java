package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q8_1: 32 elements in 36 bytes, {@code {f16 d; f16 s; i8 qs[32]}} with s = d·Σq, the block sum
 * that dot products with Q4_1/Q5_1 weights use for the min term. value = q·d.
 */
final class Q8_1Codec {
    private static final int QK = 32;
    private static final int BYTES = 36;

    private Q8_1Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q8_1, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES, d += QK) {
            float scale = LittleEndian.f16(src, off);
            for (int j = 0; j < QK; j++) dst[d + j] = LittleEndian.i8(src, off + 4 + j) * scale;
        }
    }

    /** As ggml's reference quantizer: Q8_0's rounding, plus s = (Σq)·d. */
    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        int nb = CodecArgs.checkEncode(GgmlType.Q8_1, src, s, n, dst, off);
        for (int b = 0; b < nb; b++, s += QK, off += BYTES) {
            float scale = Q8_0Codec.absMax(src, s, QK) / 127;
            float inv = scale != 0 ? 1.0f / scale : 0.0f;
            int sum = 0;
            for (int j = 0; j < QK; j++) {
                int q = Rounding.roundHalfAway(src[s + j] * inv);
                sum += q;
                LittleEndian.putU8(dst, off + 4 + j, q);
            }
            LittleEndian.putF16(dst, off, scale);
            LittleEndian.putF16(dst, off + 2, sum * scale);
        }
    }
}
