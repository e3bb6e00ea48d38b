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
            float sum = 0;
            for (int b = 0; b < nb; b++, o += 176) {
                // scale bytes unpacked as in q4_K: four 6-bit entries per int
                int a = w.get(Simd.I32, o + 4), m = w.get(Simd.I32, o + 8), c = w.get(Simd.I32, o + 12);
                int scLo = a & 0x3F3F3F3F, mLo = m & 0x3F3F3F3F;
                int scHi = (c & 0x0F0F0F0F) | ((a >>> 2) & 0x30303030), mHi = ((c >>> 4) & 0x0F0F0F0F) | ((m >>> 2) & 0x30303030);
                int minSum = 0;
                for (int j = 0; j < 8; j++) {
                    minSum += (((j < 4 ? mLo : mHi) >>> (8 * (j & 3))) & 0xFF) * (bs[16 * b + 2 * j] + bs[16 * b + 2 * j + 1]);
                }
                float d = f16(w, o) * xd[b], dmin = f16(w, o + 2) * xd[b];
                sum += d * blockDot(w, o, xq, 256 * b, scLo, scHi) - dmin * minSum;
            }
            y[r] = sum;
        }
    }

    /**
     * Σ scale·q·x over the block at {@code o} (exact in int): 5-bit quants × int8 in 16-bit lanes
     * (at most 32/L of 31·127 per lane), scales in int lanes; vectors stay inside this method.
     */
    private static int blockDot(MemorySegment w, long o, short[] xq, int xo, int scLo, int scHi) {
        IntVector sum = IntVector.zero(I);
        long q = o + 48, qh = o + 16;
        for (int j = 0; j < 4; j++, q += 32, xo += 64) {
            int sc = j < 2 ? scLo : scHi, sh = 16 * (j & 1);
            ShortVector lo = ShortVector.zero(Simd.S), hi = lo;
            for (int c = 0; c < 32; c += L) {
                ShortVector v = Simd.loadI8AsShorts(w, q + c);
                ShortVector h = Simd.loadI8AsShorts(w, qh + c).lanewise(VectorOperators.LSHR, 2 * j);
                ShortVector vl = v.and((short) 0xF).or(h.lanewise(VectorOperators.LSHL, 4).and((short) 0x10));
                ShortVector vh = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).or(h.lanewise(VectorOperators.LSHL, 3).and((short) 0x10));
                lo = lo.add(vl.mul(ShortVector.fromArray(Simd.S, xq, xo + c)));
                hi = hi.add(vh.mul(ShortVector.fromArray(Simd.S, xq, xo + 32 + c)));
            }
            sum = sum.add(Simd.toInt(lo).mul((sc >>> sh) & 0xFF)).add(Simd.toInt(hi).mul((sc >>> (sh + 8)) & 0xFF));
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
