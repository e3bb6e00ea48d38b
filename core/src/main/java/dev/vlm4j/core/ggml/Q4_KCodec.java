package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q4_K: 256 elements in 144 bytes, {@code {f16 d, dmin; u8 scales[12]; u8 qs[128]}}. Eight
 * sub-blocks of 32 with 6-bit scales and mins ({@link KQuantScales}). Each 64-element chunk c
 * uses qs[32c .. 32c + 32): low nibbles are sub-block 2c, high nibbles sub-block 2c + 1.
 * value = (d·scale)·q − dmin·min.
 */
final class Q4_KCodec {
    private static final int BYTES = 144;

    private Q4_KCodec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q4_K, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES) {
            float scale = LittleEndian.f16(src, off);
            float min = LittleEndian.f16(src, off + 2);
            for (int c = 0; c < 4; c++) {
                long qs = off + 16 + 32L * c;
                for (int part = 0; part < 2; part++) {
                    int sub = 2 * c + part;
                    float dl = scale * KQuantScales.scale(src, off + 4, sub);
                    float ml = min * KQuantScales.min(src, off + 4, sub);
                    int shift = 4 * part;
                    for (int l = 0; l < 32; l++) {
                        dst[d++] = dl * ((LittleEndian.u8(src, qs + l) >>> shift) & 0xF) - ml;
                    }
                }
            }
        }
    }
}
