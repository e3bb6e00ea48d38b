package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/** F32: plain little-endian floats. */
final class F32Codec {
    private F32Codec() {}

    static void decode(MemorySegment src, long off, float[] dst, int d, int n) {
        CodecArgs.checkDecode(GgmlType.F32, src, off, dst, d, n);
        for (int i = 0; i < n; i++) dst[d + i] = LittleEndian.f32(src, off + 4L * i);
    }

    static void encode(float[] src, int s, int n, MemorySegment dst, long off) {
        CodecArgs.checkEncode(GgmlType.F32, src, s, n, dst, off);
        for (int i = 0; i < n; i++) LittleEndian.putF32(dst, off + 4L * i, src[s + i]);
    }
}
