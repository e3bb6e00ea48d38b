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

    /** All sixteen scales of the block whose scale field is at {@code scales}, unpacked four per int as ggml does. */
    static void scales(MemorySegment w, long scales, int[] dst) {
        int a0 = w.get(Simd.I32, scales), a1 = w.get(Simd.I32, scales + 4), t = w.get(Simd.I32, scales + 8);
        int s0 = (a0 & 0x0F0F0F0F) | ((t & 0x03030303) << 4);
        int s1 = (a1 & 0x0F0F0F0F) | (((t >>> 2) & 0x03030303) << 4);
        int s2 = ((a0 >>> 4) & 0x0F0F0F0F) | (((t >>> 4) & 0x03030303) << 4);
        int s3 = ((a1 >>> 4) & 0x0F0F0F0F) | (((t >>> 6) & 0x03030303) << 4);
        for (int k = 0; k < 4; k++) {
            dst[k] = ((s0 >>> (8 * k)) & 0xFF) - 32;
            dst[k + 4] = ((s1 >>> (8 * k)) & 0xFF) - 32;
            dst[k + 8] = ((s2 >>> (8 * k)) & 0xFF) - 32;
            dst[k + 12] = ((s3 >>> (8 * k)) & 0xFF) - 32;
        }
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
        int[] sc = new int[16];
        for (int r = rowStart; r < rowEnd; r++) {
            long o = r * rowBytes;
            float sum = 0;
            for (int b = 0; b < nb; b++, o += 110) {
                scales(w, o + 96, sc);
                int offSum = 0;
                for (int g = 0; g < 16; g++) offSum += sc[g] * bs[16 * b + g];
                sum += f16(w, o + 108) * xd[b] * (blockDot(w, o, xq, 256 * b, sc) - 4 * offSum);
            }
            y[r] = sum;
        }
    }

    /**
     * Σ scale·(q2 | h·4)·x over one block, exact in int; each quant and high-bit byte is loaded
     * once for its four 2-bit fields. Vectors stay inside this method.
     */
    private static int blockDot(MemorySegment w, long o, int[] xq, int xo, int[] sc) {
        IntVector sum = IntVector.zero(I);
        for (int half = 0; half < 2; half++) {
            long q = o + 32 + 32 * half;
            for (int c = 0; c < 32; c += L) {
                IntVector v = Simd.loadI8(w, q + c);
                IntVector h = Simd.loadI8(w, o + c).lanewise(VectorOperators.LSHR, 4 * half);
                int g = 8 * half + c / 16, xg = xo + 128 * half + c;
                IntVector q0 = v.and(3).or(h.lanewise(VectorOperators.LSHL, 2).and(4));
                IntVector q1 = v.lanewise(VectorOperators.LSHR, 2).and(3).or(h.lanewise(VectorOperators.LSHL, 1).and(4));
                IntVector q2 = v.lanewise(VectorOperators.LSHR, 4).and(3).or(h.and(4));
                IntVector q3 = v.lanewise(VectorOperators.LSHR, 6).and(3).or(h.lanewise(VectorOperators.LSHR, 1).and(4));
                sum = sum.add(q0.mul(IntVector.fromArray(I, xq, xg)).mul(sc[g]))
                        .add(q1.mul(IntVector.fromArray(I, xq, xg + 32)).mul(sc[g + 2]))
                        .add(q2.mul(IntVector.fromArray(I, xq, xg + 64)).mul(sc[g + 4]))
                        .add(q3.mul(IntVector.fromArray(I, xq, xg + 96)).mul(sc[g + 6]));
            }
        }
        return sum.reduceLanes(VectorOperators.ADD);
    }
}
