package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * BF16: the upper 16 bits of a float32. Decoding is a shift; encoding follows ggml's
 * {@code ggml_compute_fp32_to_bf16}: NaN keeps its sign and top payload bits and is forced
 * quiet, everything else rounds to nearest even on the dropped 16 bits (overflow gives inf).
 */
public final class BF16Codec {
    private BF16Codec() {}

    /** The float32 with BF16 bits {@code bits} (low 16 bits used). */
    public static float toFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** The BF16 bits of {@code f}, rounded as ggml does. */
    public static short fromFloat(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((u >>> 16) | 0x40);
        }
        return (short) ((u + 0x7FFF + ((u >>> 16) & 1)) >>> 16);
    }

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        CodecArgs.checkDecode(GgmlType.BF16, src, off, dst, d, n);
        for (int i = 0; i < n; i++) dst[d + i] = toFloat(LittleEndian.i16(src, off + 2L * i));
    }

    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        CodecArgs.checkEncode(GgmlType.BF16, src, s, n, dst, off);
        for (int i = 0; i < n; i++) LittleEndian.putI16(dst, off + 2L * i, fromFloat(src[s + i]));
    }
}
