package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q8_K: 256 elements in 292 bytes, {@code {f32 d; i8 qs[256]; i16 bsums[16]}}: the activation
 * format for dot products with K-quant weights; bsums[i] = Σ qs[16i .. 16i + 16), used for the
 * weights' min terms. value = q·d.
 */
final class Q8_KCodec {
    private static final int QK = 256;
    private static final int BYTES = 292;

    private Q8_KCodec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q8_K, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES, d += QK) {
            float scale = LittleEndian.f32(src, off);
            for (int j = 0; j < QK; j++) dst[d + j] = LittleEndian.i8(src, off + 4 + j) * scale;
        }
    }

    /**
     * ggml's reference quantizer: the element of largest magnitude maps to ∓127 exactly
     * (iscale = −127 / max), the rest round half to even and clamp at 127; d = 1 / iscale is
     * stored as a full float32.
     */
    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        int nb = CodecArgs.checkEncode(GgmlType.Q8_K, src, s, n, dst, off);
        for (int b = 0; b < nb; b++, s += QK, off += BYTES) {
            float amax = 0, max = 0;
            for (int j = 0; j < QK; j++) {
                float a = Math.abs(src[s + j]);
                if (a > amax) {
                    amax = a;
                    max = src[s + j];
                }
            }
            if (amax == 0) {
                dst.asSlice(off, BYTES).fill((byte) 0);
                continue;
            }
            float iscale = -127.0f / max;
            for (int g = 0; g < QK / 16; g++) {
                int sum = 0;
                for (int j = 16 * g; j < 16 * g + 16; j++) {
                    int q = Math.min(127, Rounding.nearestInt(iscale * src[s + j]));
                    sum += q;
                    LittleEndian.putU8(dst, off + 4 + j, q);
                }
                LittleEndian.putI16(dst, off + 260 + 2L * g, sum);
            }
            LittleEndian.putF32(dst, off, 1 / iscale);
        }
    }
}
