package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

/**
 * Widens a run of F32 or F16 elements (a KV-cache row, a LoRA row) into a float array; the table
 * is keyed by the element type. F16 is converted in vector registers ({@link Simd#loadF16}).
 */
@FunctionalInterface
interface RowWidener {
    /** Decodes {@code n} elements starting at byte {@code off} of {@code seg} into {@code dst[dstOff ..]}. */
    void load(MemorySegment seg, long off, float[] dst, int dstOff, int n);

    Map<GgmlType, RowWidener> TABLE = table();

    private static Map<GgmlType, RowWidener> table() {
        Map<GgmlType, RowWidener> m = new EnumMap<>(GgmlType.class);
        m.put(GgmlType.F32, RowWidener::loadF32);
        m.put(GgmlType.F16, RowWidener::loadF16);
        return Map.copyOf(m);
    }

    private static void loadF32(MemorySegment seg, long off, float[] dst, int dstOff, int n) {
        MemorySegment.copy(seg, Simd.F32, off, dst, dstOff, n);
    }

    private static void loadF16(MemorySegment seg, long off, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i + L <= n; i += L) Simd.loadF16(seg, off + 2L * i).intoArray(dst, dstOff + i);
        if (i < n) Simd.loadF16(seg, off + 2L * i, n - i).intoArray(dst, dstOff + i, F.indexInRange(i, n));
    }

}
