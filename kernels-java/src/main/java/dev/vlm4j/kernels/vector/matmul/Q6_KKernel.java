package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.I;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;
import static dev.vlm4j.kernels.vector.matmul.Simd.f16;
import static dev.vlm4j.kernels.vector.matmul.Simd.u8;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * q6_K: blocks of 256 = ql[128] (low nibbles), qh[64] (2 high bits each), 16 int8 scales, f16 d
 * at 208. Each 128-value half uses 64 ql bytes and 32 qh bytes: value l + 32i takes its low
 * nibble from ql[l + 32(i&1)] (low half for i &lt; 2) and its high bits from qh[l] bits 2i..2i+1;
 * x = d·scale[l/16 + 2i]·(q − 32). GEMV against x as q8_K: unsigned 6-bit quants × int8 in int
 * lanes times the int8 scale; the −32 offset is applied per block through the 16-value sums.
 */
final class Q6_KKernel extends QuantKernel {
    Q6_KKernel() {
        super(GgmlType.Q6_K);
    }

    @Override
    void decodeBlock(MemorySegment w, long off, float[] dst, int d) {
        float dd = f16(w, off + 208);
        for (int half = 0; half < 2; half++) {
            long ql = off + 64L * half, qh = off + 128 + 32L * half, sc = off + 192 + 8L * half;
            int y = d + 128 * half;
            for (int c = 0; c < 32; c += L) {
                int is = c / 16;
                IntVector a = Simd.loadI8(w, ql + c), b = Simd.loadI8(w, ql + 32 + c), h = Simd.loadI8(w, qh + c);
                IntVector q1 = a.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32);
                IntVector q2 = b.and(0xF).or(h.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32);
                IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.and(0x30)).sub(32);
                IntVector q4 = b.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32);
                Simd.toFloat(q1).mul(dd * w.get(JAVA_BYTE, sc + is)).intoArray(dst, y + c);
                Simd.toFloat(q2).mul(dd * w.get(JAVA_BYTE, sc + is + 2)).intoArray(dst, y + 32 + c);
                Simd.toFloat(q3).mul(dd * w.get(JAVA_BYTE, sc + is + 4)).intoArray(dst, y + 64 + c);
                Simd.toFloat(q4).mul(dd * w.get(JAVA_BYTE, sc + is + 6)).intoArray(dst, y + 96 + c);
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
            for (int b = 0; b < nb; b++, o += 210) {
                int offSum = 0;
                for (int g = 0; g < 16; g++) {
                    sc[g] = w.get(JAVA_BYTE, o + 192 + g);
                    offSum += sc[g] * bs[16 * b + g];
                }
                sum += f16(w, o + 208) * xd[b] * (blockDot(w, o, xq, 256 * b, sc) - 32 * offSum);
            }
            y[r] = sum;
        }
    }

    /**
     * Σ scale·q·x over one block with unsigned q (exact in int: |Σ| ≤ 256·63·127·128 &lt; 2^31).
     * Vectors stay inside this method, so it compiles as one unit however large the caller is.
     */
    private static int blockDot(MemorySegment w, long o, int[] xq, int xo, int[] sc) {
        IntVector sum = IntVector.zero(I);
        for (int half = 0; half < 2; half++, xo += 128) {
            long ql = o + 64 * half, qh = o + 128 + 32 * half;
            for (int c = 0; c < 32; c += L) {
                int is = 8 * half + c / 16;
                IntVector a = Simd.loadI8(w, ql + c), bq = Simd.loadI8(w, ql + 32 + c), h = Simd.loadI8(w, qh + c);
                IntVector q1 = a.and(0xF).or(h.lanewise(VectorOperators.LSHL, 4).and(0x30));
                IntVector q2 = bq.and(0xF).or(h.lanewise(VectorOperators.LSHL, 2).and(0x30));
                IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.and(0x30));
                IntVector q4 = bq.lanewise(VectorOperators.LSHR, 4).and(0xF).or(h.lanewise(VectorOperators.LSHR, 2).and(0x30));
                IntVector p1 = q1.mul(IntVector.fromArray(I, xq, xo + c)).mul(sc[is]);
                IntVector p2 = q2.mul(IntVector.fromArray(I, xq, xo + 32 + c)).mul(sc[is + 2]);
                IntVector p3 = q3.mul(IntVector.fromArray(I, xq, xo + 64 + c)).mul(sc[is + 4]);
                IntVector p4 = q4.mul(IntVector.fromArray(I, xq, xo + 96 + c)).mul(sc[is + 6]);
                sum = sum.add(p1).add(p2).add(p3.add(p4));
            }
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
