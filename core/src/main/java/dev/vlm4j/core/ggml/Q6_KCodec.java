package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q6_K: 256 elements in 210 bytes, {@code {u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}}.
 * Sixteen sub-blocks of 16 with signed 8-bit scales. Each 128-element half h uses ql[64h ..),
 * qh[32h ..): element l + 32k of the half (k = 0..3, l = 0..31) has its low nibble in
 * ql[l + 32(k & 1)] (low nibble for k < 2, high for k ≥ 2) and its top two bits at bits 2k of
 * qh[l]. value = (d·scale)·(q − 32).
 */
final class Q6_KCodec {
    private static final int BYTES = 210;

    private Q6_KCodec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q6_K, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES) {
            float scale = LittleEndian.f16(src, off + 208);
            for (int half = 0; half < 2; half++, d += 128) {
                long ql = off + 64L * half;
                long qh = off + 128 + 32L * half;
                long sc = off + 192 + 8L * half;
                for (int k = 0; k < 4; k++) {
                    int nibbleShift = 4 * (k >>> 1);
                    long qlk = ql + 32L * (k & 1);
                    for (int l = 0; l < 32; l++) {
                        int q = ((LittleEndian.u8(src, qlk + l) >>> nibbleShift) & 0xF)
                                | (((LittleEndian.u8(src, qh + l) >>> (2 * k)) & 3) << 4);
                        float dl = scale * LittleEndian.i8(src, sc + (l >>> 4) + 2 * k);
                        dst[d + 32 * k + l] = dl * (q - 32);
                    }
                }
            }
        }
    }
}
