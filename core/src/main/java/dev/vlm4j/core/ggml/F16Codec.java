package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/**
 * F16: IEEE binary16. Widening is exact; narrowing rounds to nearest even, overflows to
 * infinity and keeps NaN a NaN (the JDK conversions, which agree with ggml's F16C path).
 */
final class F16Codec {
    private F16Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        CodecArgs.checkDecode(GgmlType.F16, src, off, dst, d, n);
        for (int i = 0; i < n; i++) dst[d + i] = LittleEndian.f16(src, off + 2L * i);
    }

    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        CodecArgs.checkEncode(GgmlType.F16, src, s, n, dst, off);
        for (int i = 0; i < n; i++) LittleEndian.putF16(dst, off + 2L * i, src[s + i]);
    }
}
