package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.I;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;
import static dev.vlm4j.kernels.vector.matmul.Simd.f16;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * q4_0: blocks of 32 = f16 d, 16 bytes of nibbles (low nibbles are elements 0-15); x = d·(q − 8).
 * GEMV against x as q8_0: unsigned nibbles × int8 in int lanes, the −8 offset applied once per
 * block through the activation block sum ({@code Σ(q−8)·x = Σq·x − 8·Σx}).
 */
final class Q4_0Kernel extends QuantKernel {
    Q4_0Kernel() {
        super(GgmlType.Q4_0);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        FloatVector sc = FloatVector.broadcast(F, f16(w, off));
        for (int c = 0; c < 16; c += L) {
            IntVector q = Simd.loadI8(w, off + 2 + c);
            Simd.toFloat(q.and(0xF).sub(8)).mul(sc).intoArray(dst, d + c);
            Simd.toFloat(q.lanewise(VectorOperators.LSHR, 4).and(0xF).sub(8)).mul(sc).intoArray(dst, d + 16 + c);
        }
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        int nb = x.n / 32;
        int[] xq = x.qi, xs = x.qsum;
        float[] xd = x.d;
        int r = rowStart;
        for (; r + 2 <= rowEnd; r += 2) {
            long o0 = r * rowBytes, o1 = o0 + rowBytes;
            FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
            float off0 = 0, off1 = 0;
            for (int b = 0; b < nb; b++, o0 += 18, o1 += 18) {
                IntVector s0 = IntVector.zero(I), s1 = s0;
                for (int c = 0; c < 16; c += L) {
                    IntVector lo = IntVector.fromArray(I, xq, 32 * b + c), hi = IntVector.fromArray(I, xq, 32 * b + 16 + c);
                    IntVector q0 = Simd.loadI8(w, o0 + 2 + c), q1 = Simd.loadI8(w, o1 + 2 + c);
                    s0 = s0.add(q0.and(0xF).mul(lo)).add(q0.lanewise(VectorOperators.LSHR, 4).and(0xF).mul(hi));
                    s1 = s1.add(q1.and(0xF).mul(lo)).add(q1.lanewise(VectorOperators.LSHR, 4).and(0xF).mul(hi));
                }
                float d0 = f16(w, o0) * xd[b], d1 = f16(w, o1) * xd[b];
                acc0 = Simd.toFloat(s0).fma(FloatVector.broadcast(F, d0), acc0);
                acc1 = Simd.toFloat(s1).fma(FloatVector.broadcast(F, d1), acc1);
                off0 += d0 * xs[b];
                off1 += d1 * xs[b];
            }
            y[r] = acc0.reduceLanes(VectorOperators.ADD) - 8 * off0;
            y[r + 1] = acc1.reduceLanes(VectorOperators.ADD) - 8 * off1;
        }
        for (; r < rowEnd; r++) {
            long o0 = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F);
            float off0 = 0;
            for (int b = 0; b < nb; b++, o0 += 18) {
                IntVector s0 = IntVector.zero(I);
                for (int c = 0; c < 16; c += L) {
                    IntVector q0 = Simd.loadI8(w, o0 + 2 + c);
                    s0 = s0.add(q0.and(0xF).mul(IntVector.fromArray(I, xq, 32 * b + c)))
                            .add(q0.lanewise(VectorOperators.LSHR, 4).and(0xF).mul(IntVector.fromArray(I, xq, 32 * b + 16 + c)));
                }
                float d0 = f16(w, o0) * xd[b];
                acc0 = Simd.toFloat(s0).fma(FloatVector.broadcast(F, d0), acc0);
                off0 += d0 * xs[b];
            }
            y[r] = acc0.reduceLanes(VectorOperators.ADD) - 8 * off0;
        }
    }
}
