package dev.vlm4j.kernels.vector;

import dev.vlm4j.kernels.vector.internal.HalfFloats;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Shared SIMD plumbing: the preferred float species, little-endian loads from segments, and the
 * F16 → F32 conversion done in registers (the Vector API has no half-float conversion operator,
 * so the bits are rebuilt with integer ops).
 */
final class Simd {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Integer lanes matching {@link #F} one to one. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Half as many bits as {@link #F}: exactly {@link #L} shorts, one F16 per float lane. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    private Simd() {}

    /** {@link #L} F16 values at byte {@code off} of {@code seg}, widened to F32 exactly (subnormals, inf, NaN included). */
    static FloatVector loadF16(MemorySegment seg, long off) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, seg, off, LE).convertShape(VectorOperators.S2I, I, 0);
        return HalfFloats.widen(h);
    }

    /** The same for the first {@code n < L} values (tails). */
    static FloatVector loadF16(MemorySegment seg, long off, int n) {
        VectorMask<Short> m = S.indexInRange(0, n);
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, seg, off, LE, m).convertShape(VectorOperators.S2I, I, 0);
        return HalfFloats.widen(h);
    }

    static FloatVector loadF32(MemorySegment seg, long off) {
        return FloatVector.fromMemorySegment(F, seg, off, LE);
    }

    static void storeF32(FloatVector v, MemorySegment seg, long off) {
        v.intoMemorySegment(seg, off, LE);
    }
}
