package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Decode scores without one horizontal sum per key: for 16-lane vectors, the 16 per-key
 * accumulators of a row (each holding 16 lane-partial sums of q·k_j) are folded pairwise, halving
 * the lanes each level, so four levels leave one vector whose lanes are the 16 dot products.
 * A fold costs two blends, one permute and one add; 15 folds replace 16 full lane reductions.
 */
final class FoldedScores {
    /** The fold tree below is written for exactly 16 lanes (AVX-512); other widths use plain reductions. */
    static final boolean SUPPORTED = L == 16;
    /** Keys per call: one per lane. */
    static final int KEYS = 16;

    private static final VectorMask<Float> HI8 = lanes(8), HI4 = lanes(4), HI2 = lanes(2), HI1 = lanes(1);
    private static final VectorShuffle<Float> SW8 = swap(8), SW4 = swap(4), SW2 = swap(2), SW1 = swap(1);
    /** After the folds lane l holds key bitreverse4(l); this puts key j in lane j. */
    private static final VectorShuffle<Float> BITREV = SUPPORTED ? VectorShuffle.fromOp(F, FoldedScores::bitReverse4) : null;

    private FoldedScores() {}

    private static VectorMask<Float> lanes(int bit) {
        return SUPPORTED ? VectorMask.fromLong(F, switch (bit) {
            case 8 -> 0xFF00L;
            case 4 -> 0xF0F0L;
            case 2 -> 0xCCCCL;
            default -> 0xAAAAL;
        }) : null;
    }

    private static VectorShuffle<Float> swap(int bit) {
        return SUPPORTED ? VectorShuffle.fromOp(F, l -> l ^ bit) : null;
    }

    private static int bitReverse4(int l) {
        return ((l & 1) << 3) | ((l & 2) << 1) | ((l & 4) >> 1) | ((l & 8) >> 3);
    }

    /**
     * s[so + j] = scale · q·k_j for the 16 keys j of a tile, key j at {@code k[kOff + j·kStride ..]};
     * d must be a multiple of 16. Lane sums are added in a different order than a plain reduction
     * (float rounding differs, not the result's accuracy). One method with no vector-returning
     * helpers: C2 keeps vectors in registers only within a compiled body, and a helper compiled on
     * its own first is later too big to inline, which boxes every vector it returns.
     * Fold of a and b at lane bit B: lanes with B clear get a[l] + a[l ^ B], the others b[l] + b[l ^ B].
     */
    static void scores(float[] q, int qo, float[] k, int kOff, int kStride, int d, float scale, float[] s, int so) {
        int k00 = kOff + 0 * kStride, k01 = k00 + kStride, k02 = k01 + kStride, k03 = k02 + kStride;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        for (int x = 0; x < d; x += KEYS) {
            FloatVector qv = FloatVector.fromArray(F, q, qo + x);
            a00 = FloatVector.fromArray(F, k, k00 + x).fma(qv, a00);
            a01 = FloatVector.fromArray(F, k, k01 + x).fma(qv, a01);
            a02 = FloatVector.fromArray(F, k, k02 + x).fma(qv, a02);
            a03 = FloatVector.fromArray(F, k, k03 + x).fma(qv, a03);
        }
        FloatVector c00 = a00.blend(a01, HI8).add(a01.blend(a00, HI8).rearrange(SW8));
        FloatVector c01 = a02.blend(a03, HI8).add(a03.blend(a02, HI8).rearrange(SW8));
        FloatVector e0 = c00.blend(c01, HI4).add(c01.blend(c00, HI4).rearrange(SW4));
        int k10 = kOff + 4 * kStride, k11 = k10 + kStride, k12 = k11 + kStride, k13 = k12 + kStride;
        FloatVector a10 = FloatVector.zero(F), a11 = a10, a12 = a10, a13 = a10;
        for (int x = 0; x < d; x += KEYS) {
            FloatVector qv = FloatVector.fromArray(F, q, qo + x);
            a10 = FloatVector.fromArray(F, k, k10 + x).fma(qv, a10);
            a11 = FloatVector.fromArray(F, k, k11 + x).fma(qv, a11);
            a12 = FloatVector.fromArray(F, k, k12 + x).fma(qv, a12);
            a13 = FloatVector.fromArray(F, k, k13 + x).fma(qv, a13);
        }
        FloatVector c10 = a10.blend(a11, HI8).add(a11.blend(a10, HI8).rearrange(SW8));
        FloatVector c11 = a12.blend(a13, HI8).add(a13.blend(a12, HI8).rearrange(SW8));
        FloatVector e1 = c10.blend(c11, HI4).add(c11.blend(c10, HI4).rearrange(SW4));
        int k20 = kOff + 8 * kStride, k21 = k20 + kStride, k22 = k21 + kStride, k23 = k22 + kStride;
        FloatVector a20 = FloatVector.zero(F), a21 = a20, a22 = a20, a23 = a20;
        for (int x = 0; x < d; x += KEYS) {
            FloatVector qv = FloatVector.fromArray(F, q, qo + x);
            a20 = FloatVector.fromArray(F, k, k20 + x).fma(qv, a20);
            a21 = FloatVector.fromArray(F, k, k21 + x).fma(qv, a21);
            a22 = FloatVector.fromArray(F, k, k22 + x).fma(qv, a22);
            a23 = FloatVector.fromArray(F, k, k23 + x).fma(qv, a23);
        }
        FloatVector c20 = a20.blend(a21, HI8).add(a21.blend(a20, HI8).rearrange(SW8));
        FloatVector c21 = a22.blend(a23, HI8).add(a23.blend(a22, HI8).rearrange(SW8));
        FloatVector e2 = c20.blend(c21, HI4).add(c21.blend(c20, HI4).rearrange(SW4));
        int k30 = kOff + 12 * kStride, k31 = k30 + kStride, k32 = k31 + kStride, k33 = k32 + kStride;
        FloatVector a30 = FloatVector.zero(F), a31 = a30, a32 = a30, a33 = a30;
        for (int x = 0; x < d; x += KEYS) {
            FloatVector qv = FloatVector.fromArray(F, q, qo + x);
            a30 = FloatVector.fromArray(F, k, k30 + x).fma(qv, a30);
            a31 = FloatVector.fromArray(F, k, k31 + x).fma(qv, a31);
            a32 = FloatVector.fromArray(F, k, k32 + x).fma(qv, a32);
            a33 = FloatVector.fromArray(F, k, k33 + x).fma(qv, a33);
        }
        FloatVector c30 = a30.blend(a31, HI8).add(a31.blend(a30, HI8).rearrange(SW8));
        FloatVector c31 = a32.blend(a33, HI8).add(a33.blend(a32, HI8).rearrange(SW8));
        FloatVector e3 = c30.blend(c31, HI4).add(c31.blend(c30, HI4).rearrange(SW4));
        FloatVector f0 = e0.blend(e1, HI2).add(e1.blend(e0, HI2).rearrange(SW2));
        FloatVector f1 = e2.blend(e3, HI2).add(e3.blend(e2, HI2).rearrange(SW2));
        FloatVector r = f0.blend(f1, HI1).add(f1.blend(f0, HI1).rearrange(SW1));
        r.rearrange(BITREV).mul(scale).intoArray(s, so);
    }
}
