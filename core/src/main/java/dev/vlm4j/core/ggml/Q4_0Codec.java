package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: 32 elements in 18 bytes, {@code {f16 d; u8 qs[16]}}. Byte j holds element j in its low
 * nibble and element j + 16 in its high nibble; value = (q − 8)·d.
 */
final class Q4_0Codec {
    private static final int QK = 32;
    private static final int BYTES = 18;

    private Q4_0Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q4_0, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES, d += QK) {
            float scale = LittleEndian.f16(src, off);
            for (int j = 0; j < QK / 2; j++) {
                int q = LittleEndian.u8(src, off + 2 + j);
                dst[d + j] = ((q & 0xF) - 8) * scale;
                dst[d + j + QK / 2] = ((q >>> 4) - 8) * scale;
            }
        }
    }

    /**
     * ggml's reference quantizer: the element of largest magnitude maps to −8 exactly
     * (d = max / −8), the others round to nearest (ties up) and clamp to 15.
     */
    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        int nb = CodecArgs.checkEncode(GgmlType.Q4_0, src, s, n, dst, off);
        for (int b = 0; b < nb; b++, s += QK, off += BYTES) {
            float amax = 0, max = 0;
            for (int j = 0; j < QK; j++) {
                float v = src[s + j];
                if (Math.abs(v) > amax) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float scale = max / -8;
            float inv = scale != 0 ? 1.0f / scale : 0.0f;
            LittleEndian.putF16(dst, off, scale);
            for (int j = 0; j < QK / 2; j++) {
                int lo = Math.min(15, (int) (src[s + j] * inv + 8.5f));
                int hi = Math.min(15, (int) (src[s + j + QK / 2] * inv + 8.5f));
                LittleEndian.putU8(dst, off + 2 + j, lo | (hi << 4));
            }
        }
    }
}
