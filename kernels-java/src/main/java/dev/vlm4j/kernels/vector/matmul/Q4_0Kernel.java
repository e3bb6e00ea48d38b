package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;
import static dev.vlm4j.kernels.vector.matmul.Simd.f16;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * q4_0: blocks of 32 = f16 d, 16 bytes of nibbles (low nibbles are elements 0-15); x = d·(q − 8).
 * GEMV against float32 x: nibbles converted to float lanes,
 * a vector accumulator per row (one horizontal sum per row, not per block).
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

    /**
     * x stays float32: dequantizing nibbles to float lanes costs fewer instructions per block than
     * the 16-bit integer products and their per-block widening (and is more precise than ggml's
     * q8_0 activations).
     */
    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F32;
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        int nb = x.n / 32;
        float[] xf = x.f;
        for (int r = rowStart; r < rowEnd; r++) y[r] = row(w, r * rowBytes, nb, xf);
    }

    /**
     * One row: per block and lane t = Σ q·x − 8·Σ x (the −8 nibble offset through the activation
     * sum), acc += d·t in a vector accumulator, one horizontal sum at the end.
     */
    private static float row(MemorySegment w, long o, int nb, float[] xf) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < nb; b++, o += 18) {
            FloatVector t = FloatVector.zero(F);
            for (int c = 0; c < 16; c += L) {
                FloatVector xl = FloatVector.fromArray(F, xf, 32 * b + c), xh = FloatVector.fromArray(F, xf, 32 * b + 16 + c);
                t = t.add(nibbleDot(w, o + 2 + c, xl, xh, xl.add(xh).mul(8f)));
            }
            acc = t.fma(FloatVector.broadcast(F, f16(w, o)), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Per lane: lo·xl + hi·xh − x8 for the L nibble bytes at {@code q} (lo = elements c.., hi = 16 + c..). */
    private static FloatVector nibbleDot(MemorySegment w, long q, FloatVector xl, FloatVector xh, FloatVector x8) {
        IntVector v = Simd.loadI8(w, q);
        FloatVector lo = Simd.toFloat(v.and(0xF)), hi = Simd.toFloat(v.lanewise(VectorOperators.LSHR, 4).and(0xF));
        return lo.fma(xl, hi.mul(xh)).sub(x8);
    }
}
