package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q5_1: 32 elements in 24 bytes, {@code {f16 d, m; u8 qh[4]; u8 qs[16]}}; bits as in Q5_0,
 * value = q·d + m.
 */
final class Q5_1Codec {
    private static final int QK = 32;
    private static final int BYTES = 24;

    private Q5_1Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q5_1, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES, d += QK) {
            float scale = LittleEndian.f16(src, off);
            float min = LittleEndian.f16(src, off + 2);
            int qh = LittleEndian.i32(src, off + 4);
            for (int j = 0; j < QK / 2; j++) {
                int q = LittleEndian.u8(src, off + 8 + j);
                int lo = (q & 0xF) | (((qh >>> j) & 1) << 4);
                int hi = (q >>> 4) | (((qh >>> (j + QK / 2)) & 1) << 4);
                dst[d + j] = lo * scale + min;
                dst[d + j + QK / 2] = hi * scale + min;
            }
        }
    }
}
