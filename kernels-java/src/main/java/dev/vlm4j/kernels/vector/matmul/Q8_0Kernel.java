package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.I;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * q8_0: blocks of 32 = f16 d, 32 int8; x = d·q. GEMV: int8 × int8 (x as q8_0) multiplied in
 * 16-bit lanes, summed in int lanes per block, then scaled by d_w·d_x into a float accumulator.
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
        short[] xq = x.qs;
        float[] xd = x.d;
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            // two blocks per step into two accumulators: the per-block fma chain would otherwise bound the loop
            FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
            int b = 0;
            for (; b + 2 <= nb; b += 2, o += 68) {
                acc0 = Simd.toFloat(blockDot(w, o, xq, 32 * b)).fma(FloatVector.broadcast(F, f16(w, o) * xd[b]), acc0);
                acc1 = Simd.toFloat(blockDot(w, o + 34, xq, 32 * b + 32)).fma(FloatVector.broadcast(F, f16(w, o + 34) * xd[b + 1]), acc1);
            }
            if (b < nb) acc0 = Simd.toFloat(blockDot(w, o, xq, 32 * b)).fma(FloatVector.broadcast(F, f16(w, o) * xd[b]), acc0);
            y[r] = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * Σ q·x over one block: products in 16-bit lanes, two per lane (|sum| ≤ 2·128·127 &lt; 2^15),
     * then widened to int.
     */
    private static IntVector blockDot(MemorySegment w, long o, short[] xq, int xo) {
        IntVector s = IntVector.zero(I);
        for (int c = 0; c < 32; c += 2 * L) {
            ShortVector p = Simd.loadI8AsShorts(w, o + 2 + c).mul(ShortVector.fromArray(Simd.S, xq, xo + c))
                    .add(Simd.loadI8AsShorts(w, o + 2 + c + L).mul(ShortVector.fromArray(Simd.S, xq, xo + c + L)));
            s = s.add(Simd.toInt(p));
        }
        return s;
    }
}
