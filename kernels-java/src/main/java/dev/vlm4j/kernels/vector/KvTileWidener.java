package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

/**
 * Widens a tile of KV-cache rows (one head: {@code n} rows of {@code d} elements, {@code stride}
 * bytes apart) into a row-major float tile {@code dst[row·d + x]}; the table is keyed by the cache
 * element type. The F16 path converts with {@link Float#float16ToFloat} in a plain counted loop
 * over the segment, which C2 compiles to the hardware half→float instruction (one instruction per
 * vector, exact for subnormals, inf and NaN); decode attention is bound by this conversion when it
 * is done with integer bit manipulation instead.
 */
@FunctionalInterface
interface KvTileWidener {
    /** Widens rows {@code 0 .. n-1}, row i starting at byte {@code off + i·stride} of {@code seg}, into {@code dst}. */
    void load(MemorySegment seg, long off, long stride, int n, int d, float[] dst);

    Map<GgmlType, KvTileWidener> TABLE = table();

    private static Map<GgmlType, KvTileWidener> table() {
        Map<GgmlType, KvTileWidener> m = new EnumMap<>(GgmlType.class);
        m.put(GgmlType.F32, KvTileWidener::loadF32);
        m.put(GgmlType.F16, KvTileWidener::loadF16);
        return Map.copyOf(m);
    }

    private static void loadF32(MemorySegment seg, long off, long stride, int n, int d, float[] dst) {
        for (int i = 0; i < n; i++) MemorySegment.copy(seg, Simd.F32, off + i * stride, dst, i * d, d);
    }

    private static void loadF16(MemorySegment seg, long off, long stride, int n, int d, float[] dst) {
        for (int i = 0; i < n; i++) widenHalfRow(seg, off + i * stride, dst, i * d, d);
    }

    /** dst[dstOff + x] = the F16 at byte {@code off + 2x}, exactly; kept a separate loop so C2 vectorizes it. */
    private static void widenHalfRow(MemorySegment seg, long off, float[] dst, int dstOff, int d) {
        for (int x = 0; x < d; x++) dst[dstOff + x] = Float.float16ToFloat(seg.get(Simd.I16, off + 2L * x));
    }
}
