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
 * q5_K: blocks of 256 = f16 d, f16 dmin, 12 bytes of 6-bit scales/mins (as q4_K), qh[32],
 * qs[128]. Each 64 values share 32 nibble bytes; high bits come from qh bit 2j (low nibbles)
 * and 2j+1 (high nibbles). GEMV against x as q8_K, as q4_K with the high bits or-ed in.
 */
final class Q5_KKernel extends QuantKernel {
    Q5_KKernel() {
        super(GgmlType.Q5_K);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off), dmin = f16(w, off + 2);
        long scales = off + 4, qh = off + 16, ql = off + 48;
        int y = d;
        for (int j = 0; j < 4; j++) {
            float d1 = dd * Q4_KKernel.scale(w, scales, 2 * j), m1 = dmin * Q4_KKernel.min(w, scales, 2 * j);
            float d2 = dd * Q4_KKernel.scale(w, scales, 2 * j + 1), m2 = dmin * Q4_KKernel.min(w, scales, 2 * j + 1);
            int u1 = 1 << (2 * j), u2 = 2 << (2 * j);
            for (int l = 0; l < 32; l++) {
                dst[y + l] = d1 * ((u8(w, ql + l) & 0xF) + ((u8(w, qh + l) & u1) != 0 ? 16 : 0)) - m1;
                dst[y + 32 + l] = d2 * ((u8(w, ql + l) >>> 4) + ((u8(w, qh + l) & u2) != 0 ? 16 : 0)) - m2;
            }
            y += 64;
            ql += 32;
        }
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        int nb = x.n / 256;
        int[] xq = x.qi, bs = x.bsums;
        float[] xd = x.d;
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            float mins = 0;
            for (int b = 0; b < nb; b++, o += 176) {
                IntVector sum = IntVector.zero(I);
                int minSum = 0;
                for (int j = 0; j < 4; j++) {
                    long q = o + 48 + 32 * j;
                    int xo = 256 * b + 64 * j;
                    IntVector s1 = IntVector.zero(I), s2 = s1;
                    for (int c = 0; c < 32; c += L) {
                        IntVector v = Simd.loadI8(w, q + c);
                        IntVector h = Simd.loadI8(w, o + 16 + c).lanewise(VectorOperators.LSHR, 2 * j);
                        IntVector lo = v.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x10));
                        IntVector hi = v.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.lanewise(VectorOperators.LSHL, 3).and(0x10));
                        s1 = s1.add(lo.mul(IntVector.fromArray(I, xq, xo + c)));
                        s2 = s2.add(hi.mul(IntVector.fromArray(I, xq, xo + 32 + c)));
                    }
                    sum = sum.add(s1.mul(Q4_KKernel.scale(w, o + 4, 2 * j))).add(s2.mul(Q4_KKernel.scale(w, o + 4, 2 * j + 1)));
                    int g = 16 * b + 4 * j;
                    minSum += Q4_KKernel.min(w, o + 4, 2 * j) * (bs[g] + bs[g + 1]) + Q4_KKernel.min(w, o + 4, 2 * j + 1) * (bs[g + 2] + bs[g + 3]);
                }
                acc = Simd.toFloat(sum).fma(FloatVector.broadcast(F, f16(w, o) * xd[b]), acc);
                mins += f16(w, o + 2) * xd[b] * minSum;
            }
            y[r] = acc.reduceLanes(VectorOperators.ADD) - mins;
        }
    }
}
