package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte field of Q4_K and Q5_K blocks that packs eight 6-bit sub-block scales and eight
 * 6-bit sub-block mins. For sub-block j < 4: scale = b[j] & 63, min = b[j + 4] & 63. For
 * j ≥ 4 the low nibbles sit in b[j + 4] (scale low, min high) and the top two bits in the
 * spare top bits of b[j − 4] (scale) and b[j] (min).
 */
final class KQuantScales {
    /** Sub-blocks per 256-element super-block. */
    static final int COUNT = 8;
    static final int BYTES = 12;

    private KQuantScales() {}

    /** The 6-bit scale of sub-block {@code j}, reading the field at {@code off}. */
    static int scale(MemorySegment s, long off, int j) {
        if (j < 4) return LittleEndian.u8(s, off + j) & 63;
        return (LittleEndian.u8(s, off + j + 4) & 0xF) | ((LittleEndian.u8(s, off + j - 4) >>> 6) << 4);
    }

    /** The 6-bit min of sub-block {@code j}, reading the field at {@code off}. */
    static int min(MemorySegment s, long off, int j) {
        if (j < 4) return LittleEndian.u8(s, off + j + 4) & 63;
        return (LittleEndian.u8(s, off + j + 4) >>> 4) | ((LittleEndian.u8(s, off + j) >>> 6) << 4);
    }

    /** Packs eight 6-bit scales and mins (each 0..63) into the field at {@code off}. */
    static void pack(int[] scales, int[] mins, MemorySegment s, long off) {
        for (int j = 0; j < COUNT; j++) {
            if (((scales[j] | mins[j]) >>> 6) != 0) {
                throw new IllegalArgumentException("sub-block " + j + ": 6-bit scale/min out of range: "
                        + scales[j] + ", " + mins[j]);
            }
        }
        for (int k = 0; k < 4; k++) {
            LittleEndian.putU8(s, off + k, scales[k] | ((scales[k + 4] >>> 4) << 6));
            LittleEndian.putU8(s, off + k + 4, mins[k] | ((mins[k + 4] >>> 4) << 6));
            LittleEndian.putU8(s, off + k + 8, (scales[k + 4] & 0xF) | ((mins[k + 4] & 0xF) << 4));
        }
    }
}
