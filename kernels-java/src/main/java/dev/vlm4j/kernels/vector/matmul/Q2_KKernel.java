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
 * q2_K: blocks of 256 = 16 scale bytes (low nibble scale, high nibble min, per 16 values),
 * 64 bytes of 2-bit quants, f16 d at 80, f16 dmin at 82. Each 128-value half uses 32 quant bytes
 * four times (shifts 0, 2, 4, 6), 32 values per shift in two groups of 16. GEMV against x as
 * q8_K: 2-bit quants × int8 in int lanes times the 4-bit scale; mins through the 16-value sums.
 */
final class Q2_KKernel extends QuantKernel {
    Q2_KKernel() {
        super(GgmlType.Q2_K);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off + 80), dmin = f16(w, off + 82);
        int is = 0, y = d;
        for (int half = 0; half < 2; half++) {
            long q = off + 16 + 32L * half;
            for (int shift = 0; shift < 8; shift += 2) {
                for (int g = 0; g < 2; g++) {
                    int sc = u8(w, off + is++);
                    float dl = dd * (sc & 0xF), ml = dmin * (sc >>> 4);
                    for (int l = 0; l < 16; l++) dst[y++] = dl * ((u8(w, q + 16 * g + l) >>> shift) & 3) - ml;
                }
            }
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
            for (int b = 0; b < nb; b++, o += 84) {
                IntVector sum = IntVector.zero(I);
                int minSum = 0;
                for (int half = 0; half < 2; half++) {
                    long q = o + 16 + 32 * half;
                    for (int sh = 0; sh < 4; sh++) {
                        for (int c = 0; c < 32; c += L) {
                            int g = 8 * half + 2 * sh + c / 16;
                            IntVector v = Simd.loadI8(w, q + c).lanewise(VectorOperators.LSHR, 2 * sh).and(3);
                            sum = sum.add(v.mul(IntVector.fromArray(I, xq, 256 * b + 16 * g + c % 16)).mul(u8(w, o + g) & 0xF));
                        }
                    }
                }
                for (int g = 0; g < 16; g++) minSum += (u8(w, o + g) >>> 4) * bs[16 * b + g];
                acc = Simd.toFloat(sum).fma(FloatVector.broadcast(F, f16(w, o + 80) * xd[b]), acc);
                mins += f16(w, o + 82) * xd[b] * minSum;
            }
            y[r] = acc.reduceLanes(VectorOperators.ADD) - mins;
        }
    }
}
