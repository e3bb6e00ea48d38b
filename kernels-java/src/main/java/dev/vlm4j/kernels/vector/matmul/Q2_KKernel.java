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
        int[] sc = new int[16];
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            float sum = 0;
            for (int b = 0; b < nb; b++, o += 84) {
                int minSum = 0;
                for (int g = 0; g < 16; g++) {
                    int v = u8(w, o + g);
                    sc[g] = v & 0xF;
                    minSum += (v >>> 4) * bs[16 * b + g];
                }
                sum += f16(w, o + 80) * xd[b] * blockDot(w, o, xq, 256 * b, sc) - f16(w, o + 82) * xd[b] * minSum;
            }
            y[r] = sum;
        }
    }

    /**
     * Σ (scale &amp; 15)·q·x over one block, exact in int; each quant byte is loaded once for its
     * four 2-bit fields. Vectors stay inside this method.
     */
    private static int blockDot(MemorySegment w, long o, int[] xq, int xo, int[] sc) {
        IntVector sum = IntVector.zero(I);
        for (int half = 0; half < 2; half++) {
            long q = o + 16 + 32 * half;
            for (int c = 0; c < 32; c += L) {
                IntVector v = Simd.loadI8(w, q + c);
                int g = 8 * half + c / 16, xg = xo + 128 * half + c;
                sum = sum.add(v.and(3).mul(IntVector.fromArray(I, xq, xg)).mul(sc[g]))
                        .add(v.lanewise(VectorOperators.LSHR, 2).and(3).mul(IntVector.fromArray(I, xq, xg + 32)).mul(sc[g + 2]))
                        .add(v.lanewise(VectorOperators.LSHR, 4).and(3).mul(IntVector.fromArray(I, xq, xg + 64)).mul(sc[g + 4]))
                        .add(v.lanewise(VectorOperators.LSHR, 6).and(3).mul(IntVector.fromArray(I, xq, xg + 96)).mul(sc[g + 6]));
            }
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
