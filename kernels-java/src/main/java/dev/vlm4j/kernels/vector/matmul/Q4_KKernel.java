package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
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
 * x = d·scale·q − dmin·min. GEMV against float32 x: nibbles converted to float lanes, scaled per
 * 32 values; the min term uses the activation's sums over 32 values.
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

    /**
     * x stays float32: nibbles converted to float lanes and multiplied with x cost fewer
     * instructions than 16-bit integer products widened per 32 values (and are more precise
     * than ggml's q8_K activations).
     */
    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F32;
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        int nb = x.n / 256;
        float[] xf = x.f;
        // Σx per 32 values, shared by all rows: the −dmin·min term needs only these
        float[] xsum = new float[nb * 8];
        for (int i = 0; i < nb * 8; i++) {
            FloatVector s = FloatVector.zero(F);
            for (int c = 0; c < 32; c += L) s = s.add(FloatVector.fromArray(F, xf, 32 * i + c));
            xsum[i] = s.reduceLanes(VectorOperators.ADD);
        }
        for (int r = rowStart; r < rowEnd; r++) y[r] = row(w, r * rowBytes, nb, xf, xsum);
    }

    /**
     * One row: per 32 values j, d·scale_j·Σ q·x into vector accumulators (one horizontal sum per
     * row), and dmin·Σ min_j·Σx_j in a scalar.
     */
    private static float row(MemorySegment w, long o, int nb, float[] xf, float[] xsum) {
        FloatVector accLo = FloatVector.zero(F), accHi = accLo;
        float mins = 0;
        for (int b = 0; b < nb; b++, o += 144) {
            // the 12 scale bytes as three ints: four 6-bit scales (mins) per int, byte j holding entry j or j+4
            int a = w.get(Simd.I32, o + 4), m = w.get(Simd.I32, o + 8), c = w.get(Simd.I32, o + 12);
            int scLo = a & 0x3F3F3F3F, mLo = m & 0x3F3F3F3F;
            int scHi = (c & 0x0F0F0F0F) | ((a >>> 2) & 0x30303030), mHi = ((c >>> 4) & 0x0F0F0F0F) | ((m >>> 2) & 0x30303030);
            float d = f16(w, o), ms = 0;
            for (int j = 0; j < 8; j++) ms += (((j < 4 ? mLo : mHi) >>> (8 * (j & 3))) & 0xFF) * xsum[8 * b + j];
            mins += f16(w, o + 2) * ms;
            long q = o + 16;
            int xo = 256 * b;
            for (int j = 0; j < 4; j++, q += 32, xo += 64) {
                int sc = j < 2 ? scLo : scHi, sh = 16 * (j & 1);
                FloatVector tLo = FloatVector.zero(F), tHi = tLo;
                for (int k = 0; k < 32; k += L) {
                    IntVector v = Simd.loadI8(w, q + k);
                    tLo = Simd.toFloat(v.and(0xF)).fma(FloatVector.fromArray(F, xf, xo + k), tLo);
                    tHi = Simd.toFloat(v.lanewise(VectorOperators.LSHR, 4).and(0xF)).fma(FloatVector.fromArray(F, xf, xo + 32 + k), tHi);
                }
                accLo = tLo.fma(FloatVector.broadcast(F, d * ((sc >>> sh) & 0xFF)), accLo);
                accHi = tHi.fma(FloatVector.broadcast(F, d * ((sc >>> (sh + 8)) & 0xFF)), accHi);
            }
        }
        return accLo.add(accHi).reduceLanes(VectorOperators.ADD) - mins;
    }
}
