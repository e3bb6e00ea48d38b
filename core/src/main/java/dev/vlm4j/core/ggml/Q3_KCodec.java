package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * Q3_K: 256 elements in 110 bytes, {@code {u8 hmask[32]; u8 qs[64]; u8 scales[12]; f16 d}}.
 * Sixteen sub-blocks of 16 with signed 6-bit scales (stored +32): the low nibble of sub-block j
 * is nibble (j / 8) of scales[j % 8], its top two bits are bits 2(j / 4).. of scales[8 + j % 4].
 * The 2-bit low parts are laid out as in Q2_K; bit m of hmask[l] is the third bit of element
 * 32m + l, and a clear bit subtracts 4. value = (d·(scale − 32))·(q − 4·!h).
 */
final class Q3_KCodec {
    private static final int BYTES = 110;

    private Q3_KCodec() {}

    /** The signed scale (−32..31) of sub-block {@code j} in the 12-byte field at {@code off}. */
    static int scale(MemorySegment s, long off, int j) {
        int low = (LittleEndian.u8(s, off + (j & 7)) >>> (4 * (j >>> 3))) & 0xF;
        int high = (LittleEndian.u8(s, off + 8 + (j & 3)) >>> (2 * (j >>> 2))) & 3;
        return (low | (high << 4)) - 32;
    }

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        int nb = CodecArgs.checkDecode(GgmlType.Q3_K, src, off, dst, d, n);
        for (int b = 0; b < nb; b++, off += BYTES) {
            float all = LittleEndian.f16(src, off + 108);
            int sub = 0;
            int bit = 0;
            for (int half = 0; half < 2; half++) {
                long qs = off + 32 + 32L * half;
                for (int shift = 0; shift < 8; shift += 2, bit++) {
                    for (int part = 0; part < 2; part++, sub++) {
                        float dl = all * scale(src, off + 96, sub);
                        for (int l = 16 * part; l < 16 * part + 16; l++) {
                            int q = (LittleEndian.u8(src, qs + l) >>> shift) & 3;
                            int h = (LittleEndian.u8(src, off + l) >>> bit) & 1;
                            dst[d++] = dl * (q - (h != 0 ? 0 : 4));
                        }
                    }
                }
            }
        }
    }
}
