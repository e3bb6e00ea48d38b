package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q5_0: 32 elements in 22 bytes, {@code {f16 d; u8 qh[4]; u8 qs[16]}}. Low 4 bits as in Q4_0;
 * bit j of the little-endian word qh is the fifth bit of element j; value = (q − 16)·d.
 */
final class Q5_0Codec {
    private static final int QK = 32;
    private static final int BYTES = 22;

    private Q5_0Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q5_0, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES, d += QK) {
            float scale = LittleEndian.f16(src, off);
            int qh = LittleEndian.i32(src, off + 2);
            for (int j = 0; j < QK / 2; j++) {
                int q = LittleEndian.u8(src, off + 6 + j);
                int lo = (q & 0xF) | (((qh >>> j) & 1) << 4);
                int hi = (q >>> 4) | (((qh >>> (j + QK / 2)) & 1) << 4);
                dst[d + j] = (lo - 16) * scale;
                dst[d + j + QK / 2] = (hi - 16) * scale;
            }
        }
    }
}
