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
 * q5_K: blocks of 256 = f16 d, f16 dmin, 12 bytes of 6-bit scales/mins (as q4_K), qh[32],
 * qs[128]. Each 64 values share 32 nibble bytes; high bits come from qh bit 2j (low nibbles)
 * and 2j+1 (high nibbles). GEMV against x as q8_K, as q4_K (16-bit products, packed scales) with the high bits or-ed in.
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
        short[] xq = x.qs;
        int[] bs = x.bsums;
        float[] xd = x.d;
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            float mins = 0;
            for (int b = 0; b < nb; b++, o += 176) {
                // scale bytes unpacked as in q4_K: four 6-bit entries per int
                int a = w.get(Simd.I32, o + 4), m = w.get(Simd.I32, o + 8), c = w.get(Simd.I32, o + 12);
                int scLo = a & 0x3F3F3F3F, mLo = m & 0x3F3F3F3F;
                int scHi = (c & 0x0F0F0F0F) | ((a >>> 2) & 0x30303030), mHi = ((c >>> 4) & 0x0F0F0F0F) | ((m >>> 2) & 0x30303030);
                IntVector sum = IntVector.zero(I);
                int minSum = 0;
                for (int j = 0; j < 4; j++) {
                    int sc = j < 2 ? scLo : scHi, mn = j < 2 ? mLo : mHi, sh = 16 * (j & 1);
                    int g = 16 * b + 4 * j;
                    minSum += ((mn >>> sh) & 0xFF) * (bs[g] + bs[g + 1]) + ((mn >>> (sh + 8)) & 0xFF) * (bs[g + 2] + bs[g + 3]);
                    sum = pairDot(w, o + 48 + 32 * j, o + 16, 2 * j, xq, 256 * b + 64 * j, (sc >>> sh) & 0xFF, (sc >>> (sh + 8)) & 0xFF, sum);
                }
                acc = Simd.toFloat(sum).fma(FloatVector.broadcast(F, f16(w, o) * xd[b]), acc);
                mins += f16(w, o + 2) * xd[b] * minSum;
            }
            y[r] = acc.reduceLanes(VectorOperators.ADD) - mins;
        }
    }

    /**
     * {@code sum + s1·Σ lo·x[0..32) + s2·Σ hi·x[32..64)} for 32 nibble bytes at {@code q} with
     * high bits {@code bit} and {@code bit + 1} of the qh bytes: products in 16-bit lanes (at most
     * 32/L of 31·127 per lane), scales in int lanes.
     */
    private static IntVector pairDot(MemorySegment w, long q, long qh, int bit, short[] xq, int xo, int s1, int s2, IntVector sum) {
        ShortVector lo = ShortVector.zero(Simd.S), hi = lo;
        for (int c = 0; c < 32; c += L) {
            ShortVector v = Simd.loadI8AsShorts(w, q + c);
            ShortVector h = Simd.loadI8AsShorts(w, qh + c).lanewise(VectorOperators.LSHR, bit);
            ShortVector vl = v.and((short) 0xF).or(h.lanewise(VectorOperators.LSHL, 4).and((short) 0x10));
            ShortVector vh = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).or(h.lanewise(VectorOperators.LSHL, 3).and((short) 0x10));
            lo = lo.add(vl.mul(ShortVector.fromArray(Simd.S, xq, xo + c)));
            hi = hi.add(vh.mul(ShortVector.fromArray(Simd.S, xq, xo + 32 + c)));
        }
        return sum.add(Simd.toInt(lo).mul(s1)).add(Simd.toInt(hi).mul(s2));
    }
}
