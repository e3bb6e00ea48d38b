package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.Map;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Widens a tile of KV-cache rows (one head: {@code n} rows of {@code d} elements, {@code stride}
 * bytes apart) into a row-major float tile {@code dst[row·d + x]}; the table is keyed by the cache
 * element type. The F16 path stages each row's raw bits in a short array and converts with
 * {@link Float#float16ToFloat} in a plain counted loop, which C2 compiles to the hardware
 * half→float instruction (one instruction per vector, exact for subnormals, inf and NaN); decode
 * attention is bound by this conversion when it is done with integer bit manipulation instead.
 */
@FunctionalInterface
interface KvTileWidener {
    /**
     * Widens rows {@code 0 .. n-1}, row i starting at byte {@code off + i·stride} of {@code seg},
     * into {@code dst}; {@code stage} holds at least {@code d} shorts of scratch.
     */
    void load(MemorySegment seg, long off, long stride, int n, int d, short[] stage, float[] dst);

    Map<GgmlType, KvTileWidener> TABLE = table();

    private static Map<GgmlType, KvTileWidener> table() {
        Map<GgmlType, KvTileWidener> m = new EnumMap<>(GgmlType.class);
        m.put(GgmlType.F32, KvTileWidener::loadF32);
        m.put(GgmlType.F16, KvTileWidener::loadF16);
        return Map.copyOf(m);
    }

    private static void loadF32(MemorySegment seg, long off, long stride, int n, int d, short[] stage, float[] dst) {
        for (int i = 0; i < n; i++) MemorySegment.copy(seg, Simd.F32, off + i * stride, dst, i * d, d);
    }

    private static void loadF16(MemorySegment seg, long off, long stride, int n, int d, short[] stage, float[] dst) {
        for (int i = 0; i < n; i++) {
            HalfRows.copyBits(seg, off + i * stride, stage, d);
            HalfRows.widen(stage, dst, i * d, d);
        }
    }

    /** The two halves of the F16 path, kept apart so C2 vectorizes each loop on its own. */
    final class HalfRows {
        private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED;
        private static final ValueLayout.OfShort I16 = Simd.I16;

        private HalfRows() {}

        /** stage[0 .. d) = the raw F16 bits at byte {@code off} of {@code seg}. */
        static void copyBits(MemorySegment seg, long off, short[] stage, int d) {
            int x = 0;
            for (; x + S.length() <= d; x += S.length()) {
                ShortVector.fromMemorySegment(S, seg, off + 2L * x, Simd.LE).intoArray(stage, x);
            }
            for (; x < d; x++) stage[x] = seg.get(I16, off + 2L * x);
        }

        /** dst[dstOff + x] = stage[x] as F16, exactly. */
        static void widen(short[] stage, float[] dst, int dstOff, int d) {
            for (int x = 0; x < d; x++) dst[dstOff + x] = Float.float16ToFloat(stage[x]);
        }
    }
}
