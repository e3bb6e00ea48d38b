package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q2_K: 256 elements in 84 bytes, {@code {u8 scales[16]; u8 qs[64]; f16 d, dmin}}. Sixteen
 * sub-blocks of 16; scales[i] holds sub-block i's 4-bit scale (low nibble) and 4-bit min (high).
 * Each 128-element half uses 32 qs bytes: 2-bit field k (bits 2k..2k+1) of byte l holds element
 * 32k + l of the half. value = (d·scale)·q − dmin·min.
 */
final class Q2_KCodec {
    private static final int BYTES = 84;

    private Q2_KCodec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q2_K, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES) {
            float scale = LittleEndian.f16(src, off + 80);
            float min = LittleEndian.f16(src, off + 82);
            int sub = 0;
            for (int half = 0; half < 2; half++) {
                long qs = off + 16 + 32L * half;
                for (int shift = 0; shift < 8; shift += 2) {
                    for (int part = 0; part < 2; part++, sub++) {
                        int sc = LittleEndian.u8(src, off + sub);
                        float dl = scale * (sc & 0xF);
                        float ml = min * (sc >>> 4);
                        for (int l = 0; l < 16; l++) {
                            int q = (LittleEndian.u8(src, qs + 16 * part + l) >>> shift) & 3;
                            dst[d++] = dl * q - ml;
                        }
                    }
                }
            }
        }
    }
}
