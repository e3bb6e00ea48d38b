package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q4_1: 32 elements in 20 bytes, {@code {f16 d, m; u8 qs[16]}}; nibbles as in Q4_0,
 * value = q·d + m.
 */
final class Q4_1Codec {
    private static final int QK = 32;
    private static final int BYTES = 20;

    private Q4_1Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q4_1, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES, d += QK) {
            float scale = LittleEndian.f16(src, off);
            float min = LittleEndian.f16(src, off + 2);
            for (int j = 0; j < QK / 2; j++) {
                int q = LittleEndian.u8(src, off + 4 + j);
                dst[d + j] = (q & 0xF) * scale + min;
                dst[d + j + QK / 2] = (q >>> 4) * scale + min;
            }
        }
    }
}
