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

/** q4_1: blocks of 32 = f16 d, f16 m, 16 bytes of nibbles (low nibbles are elements 0-15); x = d·q + m.
 * GEMV against x as q8_1: nibbles × int8 in int lanes scaled by d_w·d_x, plus m times the
 * activation block's d·Σq.
 */
final class Q4_1Kernel extends QuantKernel {
    Q4_1Kernel() {
        super(GgmlType.Q4_1);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float sc = f16(w, off), m = f16(w, off + 2);
        for (int j = 0; j < 16; j++) {
            int q = u8(w, off + 4 + j);
            dst[d + j] = (q & 0xF) * sc + m;
            dst[d + j + 16] = (q >>> 4) * sc + m;
        }
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_1;
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        int nb = x.n / 32;
        int[] xq = x.qi;
        float[] xd = x.d, xs = x.s;
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            float mins = 0;
            for (int b = 0; b < nb; b++, o += 20) {
                IntVector s = IntVector.zero(I);
                for (int c = 0; c < 16; c += L) {
                    IntVector q = Simd.loadI8(w, o + 4 + c);
                    s = s.add(q.and(0xF).mul(IntVector.fromArray(I, xq, 32 * b + c)))
                            .add(q.lanewise(VectorOperators.LSHR, 4).and(0xF).mul(IntVector.fromArray(I, xq, 32 * b + 16 + c)));
                }
                acc = Simd.toFloat(s).fma(FloatVector.broadcast(F, f16(w, o) * xd[b]), acc);
                mins += f16(w, o + 2) * xs[b];
            }
            y[r] = acc.reduceLanes(VectorOperators.ADD) + mins;
        }
    }
}
