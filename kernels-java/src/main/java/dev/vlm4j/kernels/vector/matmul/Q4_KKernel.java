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
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * q4_K: blocks of 256 = f16 d, f16 dmin, 12 bytes packing eight 6-bit scales and mins, 128 bytes
 * of nibbles. Each 64 values share 32 bytes: low nibbles use scale/min 2j, high nibbles 2j+1;
 * x = d·scale·q − dmin·min. GEMV against x as q8_K: nibbles × int8 in 16-bit lanes, scaled per
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
        short[] xq = x.qs;
        int[] bs = x.bsums;
        float[] xd = x.d;
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            float sum = 0;
            for (int b = 0; b < nb; b++, o += 144) {
                // the 12 scale bytes as three ints: four 6-bit scales (mins) per int, byte j holding entry j or j+4
                int a = w.get(Simd.I32, o + 4), m = w.get(Simd.I32, o + 8), c = w.get(Simd.I32, o + 12);
                int scLo = a & 0x3F3F3F3F, mLo = m & 0x3F3F3F3F;
                int scHi = (c & 0x0F0F0F0F) | ((a >>> 2) & 0x30303030), mHi = ((c >>> 4) & 0x0F0F0F0F) | ((m >>> 2) & 0x30303030);
                int minSum = 0;
                for (int j = 0; j < 8; j++) {
                    minSum += (((j < 4 ? mLo : mHi) >>> (8 * (j & 3))) & 0xFF) * (bs[16 * b + 2 * j] + bs[16 * b + 2 * j + 1]);
                }
                float d = f16(w, o) * xd[b], dmin = f16(w, o + 2) * xd[b];
                sum += d * blockDot(w, o + 16, xq, 256 * b, scLo, scHi) - dmin * minSum;
            }
            y[r] = sum;
        }
    }

    /**
     * Σ scale·q·x over one block (exact in int: |Σ| ≤ 8·63·32·15·127 &lt; 2^31): products in 16-bit
     * lanes (at most 32/L of 15·127 per lane), scales in int lanes. Vectors stay inside this
     * method, so it compiles as one unit however large the caller is.
     */
    private static int blockDot(MemorySegment w, long q, short[] xq, int xo, int scLo, int scHi) {
        IntVector sum = IntVector.zero(I);
        for (int j = 0; j < 4; j++, q += 32, xo += 64) {
            int sc = j < 2 ? scLo : scHi, sh = 16 * (j & 1);
            ShortVector lo = ShortVector.zero(Simd.S), hi = lo;
            for (int c = 0; c < 32; c += L) {
                ShortVector v = Simd.loadI8AsShorts(w, q + c);
                lo = lo.add(v.and((short) 0xF).mul(ShortVector.fromArray(Simd.S, xq, xo + c)));
                hi = hi.add(v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(ShortVector.fromArray(Simd.S, xq, xo + 32 + c)));
            }
            sum = sum.add(Simd.toInt(lo).mul((sc >>> sh) & 0xFF)).add(Simd.toInt(hi).mul((sc >>> (sh + 8)) & 0xFF));
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
