package dev.vlm4j.kernels.vector.matmul;

import dev.vlm4j.kernels.vector.internal.HalfFloats;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Species and conversions shared by the matmul kernels. Everything is sized from the runtime's
 * preferred float species ({@code L} lanes: 8 on AVX2, 16 on AVX-512); the narrower byte and
 * short species have the same lane count, so a byte or half-float load widens into exactly one
 * int or float vector.
 */
final class Simd {
    private Simd() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /**
     * The kernels load L quant bytes at a time, so they need L ≥ 8 (256-bit vectors); on narrower
     * hardware (128-bit NEON/SSE) the table reports no support instead of running emulated vectors.
     */
    static final boolean USABLE = L >= 8;
    /** L shorts: half-floats, bfloat16s or int16 sums that widen into one float/int vector. */
    static final VectorSpecies<Short> S = ShortVector.SPECIES_MAX.withShape(VectorShape.forBitSize(Math.max(64, 16 * L)));
    /** L bytes: quants that widen into one int vector. */
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_MAX.withShape(VectorShape.forBitSize(Math.max(64, 8 * L)));

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);

    /** The ggml f16 field at byte {@code off} as a float. */
    static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16, off));
    }

    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** L half-floats at byte {@code off} of {@code s}. */
    static FloatVector loadF16(MemorySegment s, long off) {
        ShortVector h = ShortVector.fromMemorySegment(S, s, off, LE);
        return HalfFloats.widen((IntVector) h.convertShape(VectorOperators.S2I, I, 0));
    }

    /** L bfloat16s at byte {@code off} of {@code s}: the upper half of a float32. */
    static FloatVector loadBf16(MemorySegment s, long off) {
        ShortVector h = ShortVector.fromMemorySegment(S, s, off, LE);
        IntVector i = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** L signed bytes at byte {@code off} of {@code s}, widened to ints. */
    static IntVector loadI8(MemorySegment s, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, s, off, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    /** L signed bytes at byte {@code off} of {@code s}, widened to shorts. */
    static ShortVector loadI8AsShorts(MemorySegment s, long off) {
        return (ShortVector) ByteVector.fromMemorySegment(B, s, off, LE).convertShape(VectorOperators.B2S, S, 0);
    }

    /** L shorts widened to ints. */
    static IntVector toInt(ShortVector v) {
        return (IntVector) v.convertShape(VectorOperators.S2I, I, 0);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }
}
