package dev.vlm4j.kernels.vector.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * IEEE half-precision bits (one per int lane) to float32, exactly, for every pattern (zero,
 * subnormal, normal, inf, NaN). The attention, LoRA and matmul kernels all widen F16 through here
 * (a package the module does not export: shared by the kernels, not API).
 */
public final class HalfFloats {
    private HalfFloats() {}

    public static FloatVector widen(IntVector h) {
        IntVector magnitude = h.and(0x7FFF);
        IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        // normals: exponent rebiased by 127 - 15 = 112 with an integer add (exact, no float arithmetic)
        IntVector bits = shifted.add(112 << 23);
        // zero and subnormals: the 10-bit mantissa converted exactly, times 2^-24. Never a float
        // multiply on a denormal operand: x86 takes a microcode assist for each one, which made the
        // F16 GEMV about 1.5x slower on weights with 0.2 % subnormal halves.
        FloatVector sub = ((FloatVector) magnitude.convert(VectorOperators.I2F, 0)).mul(0x1.0p-24f);
        bits = bits.blend(sub.reinterpretAsInts(), magnitude.compare(VectorOperators.LT, 0x400));
        bits = bits.blend(shifted.or(0x7F800000), magnitude.compare(VectorOperators.GE, 0x7C00));
        return bits.or(sign).reinterpretAsFloats();
    }
}
