package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.I;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * q8_0: blocks of 32 = f16 d, 32 int8; x = d·q. GEMV: int8 × int8 (x as q8_0) summed in int
 * lanes per block, then scaled by d_w·d_x into a float accumulator; two rows per pass share the
 * activation loads.
 */
final class Q8_0Kernel extends QuantKernel {
    Q8_0Kernel() {
        super(GgmlType.Q8_0);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        FloatVector sc = FloatVector.broadcast(F, f16(w, off));
        for (int c = 0; c < 32; c += L) Simd.toFloat(Simd.loadI8(w, off + 2 + c)).mul(sc).intoArray(dst, d + c);
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        int nb = x.n / 32;
        int[] xq = x.qi;
        float[] xd = x.d;
        int r = rowStart;
        for (; r + 2 <= rowEnd; r += 2) {
            long o0 = r * rowBytes, o1 = o0 + rowBytes;
            FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
            for (int b = 0; b < nb; b++, o0 += 34, o1 += 34) {
                IntVector s0 = IntVector.zero(I), s1 = s0;
                for (int c = 0; c < 32; c += L) {
                    IntVector v = IntVector.fromArray(I, xq, 32 * b + c);
                    s0 = s0.add(Simd.loadI8(w, o0 + 2 + c).mul(v));
                    s1 = s1.add(Simd.loadI8(w, o1 + 2 + c).mul(v));
                }
                acc0 = Simd.toFloat(s0).fma(FloatVector.broadcast(F, f16(w, o0) * xd[b]), acc0);
                acc1 = Simd.toFloat(s1).fma(FloatVector.broadcast(F, f16(w, o1) * xd[b]), acc1);
            }
            y[r] = acc0.reduceLanes(VectorOperators.ADD);
            y[r + 1] = acc1.reduceLanes(VectorOperators.ADD);
        }
        for (; r < rowEnd; r++) {
            long o0 = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F);
            for (int b = 0; b < nb; b++, o0 += 34) {
                IntVector s0 = IntVector.zero(I);
                for (int c = 0; c < 32; c += L) s0 = s0.add(Simd.loadI8(w, o0 + 2 + c).mul(IntVector.fromArray(I, xq, 32 * b + c)));
                acc0 = Simd.toFloat(s0).fma(FloatVector.broadcast(F, f16(w, o0) * xd[b]), acc0);
            }
            y[r] = acc0.reduceLanes(VectorOperators.ADD);
        }
    }
}
