package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.I;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;
import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * q5_0: blocks of 32 = f16 d, 32-bit high-bit mask qh, 16 bytes of low nibbles; element j has
 * high bit {@code qh >> j}; x = d·(q − 16). GEMV against x as q8_0: the high bits are spread to
 * lanes with per-lane shifts of the broadcast mask; the −16 offset goes through the block sums.
 */
final class Q5_0Kernel extends QuantKernel {
    Q5_0Kernel() {
        super(GgmlType.Q5_0);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float sc = f16(w, off);
        int qh = w.get(Simd.I32, off + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(w, off + 6 + j);
            int h0 = ((qh >>> j) << 4) & 0x10, h1 = (qh >>> (j + 12)) & 0x10;
            dst[d + j] = ((q & 0xF | h0) - 16) * sc;
            dst[d + j + 16] = ((q >>> 4 | h1) - 16) * sc;
        }
    }

    /** Lane i holds i: per-lane shift counts that pick bit (c + i) of a block's 32-bit high-bit mask. */
    private static final int[] LANE = java.util.stream.IntStream.range(0, 32).toArray();

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        int nb = x.n / 32;
        int[] xq = x.qi, xs = x.qsum;
        float[] xd = x.d;
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            float offsets = 0;
            for (int b = 0; b < nb; b++, o += 22) {
                IntVector s = IntVector.zero(I);
                IntVector qh = IntVector.broadcast(I, w.get(Simd.I32, o + 2));
                for (int c = 0; c < 16; c += L) {
                    IntVector q = Simd.loadI8(w, o + 6 + c);
                    IntVector hLo = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, LANE, c)).lanewise(VectorOperators.LSHL, 4).and(0x10);
                    IntVector hHi = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, LANE, 16 + c)).lanewise(VectorOperators.LSHL, 4).and(0x10);
                    s = s.add(q.and(0xF).or(hLo).mul(IntVector.fromArray(I, xq, 32 * b + c)))
                            .add(q.lanewise(VectorOperators.LSHR, 4).and(0xF).or(hHi).mul(IntVector.fromArray(I, xq, 32 * b + 16 + c)));
                }
                float d = f16(w, o) * xd[b];
                acc = Simd.toFloat(s).fma(FloatVector.broadcast(F, d), acc);
                offsets += d * xs[b];
            }
            y[r] = acc.reduceLanes(VectorOperators.ADD) - 16 * offsets;
        }
    }
}
