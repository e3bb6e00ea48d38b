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
 * q3_K: blocks of 256 = hmask[32], qs[64] (2-bit), 12 bytes packing sixteen 6-bit scales, f16 d
 * at 108. Value = d·(scale − 32)·(q2 − (high bit clear ? 4 : 0)); layout as q2_K, with hmask bit
 * m (one per shift step) giving the high bit. GEMV against x as q8_K: (q2 | h·4) × int8 in int
 * lanes times the scale; the −4 offset goes through the 16-value sums.
 */
final class Q3_KKernel extends QuantKernel {
    Q3_KKernel() {
        super(GgmlType.Q3_K);
    }

    /** The 6-bit scale i of a q3_K block: low 4 bits from bytes 0-7, high 2 bits from bytes 8-11. */
    static int scale(MemorySegment w, long scales, int i) {
        int lo = i < 8 ? u8(w, scales + i) & 0xF : u8(w, scales + i - 8) >>> 4;
        int hi = (u8(w, scales + 8 + (i & 3)) >>> (2 * (i >>> 2))) & 3;
        return (lo | hi << 4) - 32;
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off + 108);
        long hm = off, scales = off + 96;
        int is = 0, y = d, m = 1;
        for (int half = 0; half < 2; half++) {
            long q = off + 32 + 32L * half;
            for (int shift = 0; shift < 8; shift += 2, m <<= 1) {
                for (int g = 0; g < 2; g++) {
                    float dl = dd * scale(w, scales, is++);
                    for (int l = 16 * g; l < 16 * g + 16; l++) {
                        int v = ((u8(w, q + l) >>> shift) & 3) - ((u8(w, hm + l) & m) != 0 ? 0 : 4);
                        dst[y++] = dl * v;
                    }
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
            float offsets = 0;
            for (int b = 0; b < nb; b++, o += 110) {
                IntVector sum = IntVector.zero(I);
                int offSum = 0;
                for (int half = 0; half < 2; half++) {
                    long q = o + 32 + 32 * half;
                    for (int sh = 0; sh < 4; sh++) {
                        for (int c = 0; c < 32; c += L) {
                            int g = 8 * half + 2 * sh + c / 16;
                            int sc = scale(w, o + 96, g);
                            IntVector v = Simd.loadI8(w, q + c).lanewise(VectorOperators.LSHR, 2 * sh).and(3);
                            IntVector h = Simd.loadI8(w, o + c).lanewise(VectorOperators.LSHR, 4 * half + sh).and(1).lanewise(VectorOperators.LSHL, 2);
                            sum = sum.add(v.or(h).mul(IntVector.fromArray(I, xq, 256 * b + 16 * g + c % 16)).mul(sc));
                        }
                    }
                }
                for (int g = 0; g < 16; g++) offSum += scale(w, o + 96, g) * bs[16 * b + g];
                float d = f16(w, o + 108) * xd[b];
                acc = Simd.toFloat(sum).fma(FloatVector.broadcast(F, d), acc);
                offsets += d * 4 * offSum;
            }
            y[r] = acc.reduceLanes(VectorOperators.ADD) - offsets;
        }
    }
}
