package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K quantizer (layout in {@link Q4_KCodec}). Per 32-element sub-block, an {@link AffineFit}
 * with weights rms(sub-block) + |x| (so large elements, which dominate dot products, fit best);
 * the eight scales and mins are then quantized to 6 bits against their maxima (d = max/63,
 * stored as the nearest f16 not below it, see {@link Rounding#f16NotSmaller}), and every element
 * is re-quantized against the scale and min it will actually be decoded with.
 */
final class Q4_KEncoder {
    private static final int QK = 256;
    private static final int SUB = 32;
    private static final int BYTES = 144;
    private static final int NMAX = 15;

    private Q4_KEncoder() {}

    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        int nb = CodecArgs.checkEncode(GgmlType.Q4_K, src, s, n, dst, off);
        AffineFit fit = new AffineFit(SUB);
        float[] weights = new float[SUB];
        float[] scales = new float[KQuantScales.COUNT];
        float[] mins = new float[KQuantScales.COUNT];
        int[] ls = new int[KQuantScales.COUNT];
        int[] lm = new int[KQuantScales.COUNT];
        for (int b = 0; b < nb; b++, s += QK, off += BYTES) {
            float maxScale = 0, maxMin = 0;
            for (int j = 0; j < KQuantScales.COUNT; j++) {
                int xo = s + SUB * j;
                float sumSq = 0;
                for (int l = 0; l < SUB; l++) sumSq += src[xo + l] * src[xo + l];
                float rms = (float) Math.sqrt(sumSq / SUB);
                for (int l = 0; l < SUB; l++) weights[l] = rms + Math.abs(src[xo + l]);
                fit.fit(src, xo, SUB, NMAX, weights, -1.0f, 0.1f, 20);
                scales[j] = fit.scale;
                mins[j] = fit.offset;
                maxScale = Math.max(maxScale, fit.scale);
                maxMin = Math.max(maxMin, fit.offset);
            }
            // super-scales as f16 rounded up, so the largest 6-bit scale/min never clips at 63
            float d = Rounding.f16NotSmaller(maxScale / 63);
            float dmin = Rounding.f16NotSmaller(maxMin / 63);
            for (int j = 0; j < KQuantScales.COUNT; j++) {
                ls[j] = d > 0 ? Math.max(0, Math.min(63, Rounding.nearestInt(scales[j] / d))) : 0;
                lm[j] = dmin > 0 ? Math.max(0, Math.min(63, Rounding.nearestInt(mins[j] / dmin))) : 0;
            }
            LittleEndian.putF16(dst, off, d);
            LittleEndian.putF16(dst, off + 2, dmin);
            KQuantScales.pack(ls, lm, dst, off + 4);
            for (int c = 0; c < 4; c++) {
                long qs = off + 16 + 32L * c;
                for (int l = 0; l < 32; l++) {
                    int lo = level(src[s + 64 * c + l], d * ls[2 * c], dmin * lm[2 * c]);
                    int hi = level(src[s + 64 * c + 32 + l], d * ls[2 * c + 1], dmin * lm[2 * c + 1]);
                    LittleEndian.putU8(dst, qs + l, lo | (hi << 4));
                }
            }
        }
    }

    /** The level whose decoded value dl·q − ml is nearest to x. */
    private static int level(float x, float dl, float ml) {
        if (dl == 0) return 0;
        return Math.max(0, Math.min(NMAX, Rounding.nearestInt((x + ml) / dl)));
    }
}
