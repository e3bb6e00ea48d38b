package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q5_K: 256 elements in 176 bytes, {@code {f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}}.
 * As Q4_K, plus a fifth bit: bit s of qh[l] belongs to element l of sub-block s.
 * value = (d·scale)·q − dmin·min.
 */
final class Q5_KCodec {
    private static final int BYTES = 176;

    private Q5_KCodec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q5_K, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES) {
            float scale = LittleEndian.f16(src, off);
            float min = LittleEndian.f16(src, off + 2);
            for (int c = 0; c < 4; c++) {
                long qs = off + 48 + 32L * c;
                for (int part = 0; part < 2; part++) {
                    int sub = 2 * c + part;
                    float dl = scale * KQuantScales.scale(src, off + 4, sub);
                    float ml = min * KQuantScales.min(src, off + 4, sub);
                    int shift = 4 * part;
                    for (int l = 0; l < 32; l++) {
                        int q = ((LittleEndian.u8(src, qs + l) >>> shift) & 0xF)
                                | (((LittleEndian.u8(src, off + 16 + l) >>> sub) & 1) << 4);
                        dst[d++] = dl * q - ml;
                    }
                }
            }
        }
    }
}
