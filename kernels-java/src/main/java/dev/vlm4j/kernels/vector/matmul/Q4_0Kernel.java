package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.I;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;
import static dev.vlm4j.kernels.vector.matmul.Simd.f16;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
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
        short[] xq = x.qs;
        int[] xs = x.qsum;
        float[] xd = x.d;
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            // two blocks per step into two accumulators: the per-block fma chains would otherwise bound the loop
            FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
            float off0 = 0, off1 = 0;
            int b = 0;
            for (; b + 2 <= nb; b += 2, o += 36) {
                float d0 = f16(w, o) * xd[b], d1 = f16(w, o + 18) * xd[b + 1];
                acc0 = Simd.toFloat(Simd.toInt(blockDot(w, o, xq, 32 * b))).fma(FloatVector.broadcast(F, d0), acc0);
                acc1 = Simd.toFloat(Simd.toInt(blockDot(w, o + 18, xq, 32 * b + 32))).fma(FloatVector.broadcast(F, d1), acc1);
                off0 += d0 * xs[b];
                off1 += d1 * xs[b + 1];
            }
            if (b < nb) {
                float d0 = f16(w, o) * xd[b];
                acc0 = Simd.toFloat(Simd.toInt(blockDot(w, o, xq, 32 * b))).fma(FloatVector.broadcast(F, d0), acc0);
                off0 += d0 * xs[b];
            }
            y[r] = acc0.add(acc1).reduceLanes(VectorOperators.ADD) - 8 * (off0 + off1);
        }
    }

    /**
     * Σ nibble·x over one block in 16-bit lanes (each lane sums at most 2·16/L products of
     * 15·127, far below 2^15).
     */
    private static ShortVector blockDot(MemorySegment w, long o, short[] xq, int xo) {
        ShortVector s = ShortVector.zero(Simd.S);
        for (int c = 0; c < 16; c += L) {
            ShortVector q = Simd.loadI8AsShorts(w, o + 2 + c);
            s = s.add(q.and((short) 0xF).mul(ShortVector.fromArray(Simd.S, xq, xo + c)))
                    .add(q.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(Simd.S, xq, xo + 16 + c)));
        }
        return s;
    }
}
