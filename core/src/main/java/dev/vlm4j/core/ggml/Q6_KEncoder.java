package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K quantizer (layout in {@link Q6_KCodec}). Per 16-element sub-block, a {@link SymmetricFit}
 * with 6-bit levels; the sixteen scales are then quantized to int8 against d = (the one of
 * largest magnitude) / −128, stored as the nearest f16 not smaller in magnitude (see
 * {@link Rounding#f16NotSmaller}), and every element is re-quantized against the scale it will
 * actually be decoded with.
 */
final class Q6_KEncoder {
    private static final int QK = 256;
    private static final int SUB = 16;
    private static final int BYTES = 210;
    private static final int NMAX = 32;

    private Q6_KEncoder() {}

    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        int nb = CodecArgs.checkEncode(GgmlType.Q6_K, src, s, n, dst, off);
        SymmetricFit fit = new SymmetricFit(SUB);
        float[] scales = new float[QK / SUB];
        int[] levels = new int[QK];
        for (int b = 0; b < nb; b++, s += QK, off += BYTES) {
            float maxAbs = 0, max = 0;
            for (int j = 0; j < QK / SUB; j++) {
                scales[j] = fit.fit(src, s + SUB * j, SUB, NMAX);
                if (Math.abs(scales[j]) > maxAbs) {
                    maxAbs = Math.abs(scales[j]);
                    max = scales[j];
                }
            }
            MemorySegment block = dst.asSlice(off, BYTES);
            block.fill((byte) 0);
            if (maxAbs < SymmetricFit.ZERO_GROUP) continue;
            // d maps the largest-magnitude sub-block scale to −128; stored rounded away from zero
            float d = Rounding.f16NotSmaller(max / -128);
            LittleEndian.putF16(dst, off + 208, d);
            for (int j = 0; j < QK / SUB; j++) {
                int sc = Math.max(-128, Math.min(127, Rounding.nearestInt(scales[j] / d)));
                LittleEndian.putU8(dst, off + 192 + j, sc);
                float dl = d * sc;
                for (int i = SUB * j; i < SUB * j + SUB; i++) {
                    int q = dl == 0 ? 0 : Math.max(-NMAX, Math.min(NMAX - 1, Rounding.nearestInt(src[s + i] / dl)));
                    levels[i] = q + NMAX;
                }
            }
            for (int half = 0; half < 2; half++) {
                int e = 128 * half;
                long ql = off + 64L * half;
                long qh = off + 128 + 32L * half;
                for (int l = 0; l < 32; l++) {
                    int q0 = levels[e + l], q1 = levels[e + l + 32], q2 = levels[e + l + 64], q3 = levels[e + l + 96];
                    LittleEndian.putU8(dst, ql + l, (q0 & 0xF) | ((q2 & 0xF) << 4));
                    LittleEndian.putU8(dst, ql + l + 32, (q1 & 0xF) | ((q3 & 0xF) << 4));
                    LittleEndian.putU8(dst, qh + l, (q0 >>> 4) | ((q1 >>> 4) << 2) | ((q2 >>> 4) << 4) | ((q3 >>> 4) << 6));
                }
            }
        }
    }
}
