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
 * q4_K: blocks of 256 = f16 d, f16 dmin, 12 bytes packing eight 6-bit scales and mins, 128 bytes
 * of nibbles. Each 64 values share 32 bytes: low nibbles use scale/min 2j, high nibbles 2j+1;
 * x = d·scale·q − dmin·min. GEMV against x as q8_K: nibbles × int8 in int lanes, scaled per
 * 32 values by the 6-bit scale in int lanes; the min term uses the activation's 16-value sums.
 */
final class Q4_KKernel extends QuantKernel {
    Q4_KKernel() {
        super(GgmlType.Q4_K);
    }

    /** 6-bit scale j (0-7) of the 12-byte q4_K/q5_K scale field at {@code scales}. */
    static int scale(MemorySegment w, long scales, int j) {
        return j < 4 ? u8(w, scales + j) & 63 : (u8(w, scales + j + 4) & 0xF) | ((u8(w, scales + j - 4) >>> 6) << 4);
    }

    /** 6-bit min j (0-7) of the 12-byte q4_K/q5_K scale field at {@code scales}. */
    static int min(MemorySegment w, long scales, int j) {
        return j < 4 ? u8(w, scales + j + 4) & 63 : (u8(w, scales + j + 4) >>> 4) | ((u8(w, scales + j) >>> 6) << 4);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off), dmin = f16(w, off + 2);
        long scales = off + 4, q = off + 16;
        for (int j = 0; j < 4; j++, q += 32, d += 64) {
            FloatVector d1 = FloatVector.broadcast(F, dd * scale(w, scales, 2 * j));
            FloatVector m1 = FloatVector.broadcast(F, -dmin * min(w, scales, 2 * j));
            FloatVector d2 = FloatVector.broadcast(F, dd * scale(w, scales, 2 * j + 1));
            FloatVector m2 = FloatVector.broadcast(F, -dmin * min(w, scales, 2 * j + 1));
            for (int c = 0; c < 32; c += L) {
                IntVector v = Simd.loadI8(w, q + c);
                // d·q − m as one rounding step less than ggml's d·q − m; within float32 noise of the contract
                Simd.toFloat(v.and(0xF)).fma(d1, m1).intoArray(dst, d + c);
                Simd.toFloat(v.lanewise(VectorOperators.LSHR, 4).and(0xF)).fma(d2, m2).intoArray(dst, d + 32 + c);
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
            for (int b = 0; b < nb; b++, o += 144) {
                IntVector sum = IntVector.zero(I);
                int minSum = 0;
                for (int j = 0; j < 4; j++) {
                    long q = o + 16 + 32 * j;
                    int xo = 256 * b + 64 * j;
                    IntVector s1 = IntVector.zero(I), s2 = s1;
                    for (int c = 0; c < 32; c += L) {
                        IntVector v = Simd.loadI8(w, q + c);
                        s1 = s1.add(v.and(0xF).mul(IntVector.fromArray(I, xq, xo + c)));
                        s2 = s2.add(v.lanewise(VectorOperators.LSHR, 4).and(0xF).mul(IntVector.fromArray(I, xq, xo + 32 + c)));
                    }
                    sum = sum.add(s1.mul(scale(w, o + 4, 2 * j))).add(s2.mul(scale(w, o + 4, 2 * j + 1)));
                    int g = 16 * b + 4 * j;
                    minSum += min(w, o + 4, 2 * j) * (bs[g] + bs[g + 1]) + min(w, o + 4, 2 * j + 1) * (bs[g + 2] + bs[g + 3]);
                }
                acc = Simd.toFloat(sum).fma(FloatVector.broadcast(F, f16(w, o) * xd[b]), acc);
                mins += f16(w, o + 2) * xd[b] * minSum;
            }
            y[r] = acc.reduceLanes(VectorOperators.ADD) - mins;
        }
    }
}
