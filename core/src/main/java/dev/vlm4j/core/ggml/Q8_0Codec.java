package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/** Q8_0: 32 elements in 34 bytes, {@code {f16 d; i8 qs[32]}}; value = q·d. */
final class Q8_0Codec {
    private static final int QK = 32;
    private static final int BYTES = 34;

    private Q8_0Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q8_0, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES, d += QK) {
            float scale = LittleEndian.f16(src, off);
            for (int j = 0; j < QK; j++) dst[d + j] = LittleEndian.i8(src, off + 2 + j) * scale;
        }
    }

    /** ggml's reference quantizer: d = amax / 127, q = roundf(x / d) (ties away from zero). */
    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        int nb = CodecArgs.checkEncode(GgmlType.Q8_0, src, s, n, dst, off);
        for (int b = 0; b < nb; b++, s += QK, off += BYTES) {
            float scale = absMax(src, s, QK) / 127;
            float inv = scale != 0 ? 1.0f / scale : 0.0f;
            LittleEndian.putF16(dst, off, scale);
            for (int j = 0; j < QK; j++) LittleEndian.putU8(dst, off + 2 + j, Rounding.roundHalfAway(src[s + j] * inv));
        }
    }

    /** max |x[s .. s + n)|, NaN-ignoring like C's MAX(a, fabsf(v)) chain. */
    static float absMax(float[] x, int s, int n) {
        float amax = 0;
        for (int j = 0; j < n; j++) {
            float a = Math.abs(x[s + j]);
            if (a > amax) amax = a;
        }
        return amax;
    }
}
