package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The float32 GEMM micro-kernel shared by every weight type: a decoded weight panel
 * {@code [kc, rows]} times a token block {@code x[k0 .. k0+kc)} of {@code n_tok} tokens, added
 * into {@code acc[rows][n_tok]}. Register tile: 4 rows × 3 tokens = 12 accumulators + 4 weight
 * vectors + 1 activation vector, which fits AVX2's 16 registers (and AVX-512's 32 with room).
 */
final class FloatTiles {
    static final int MR = 4;
    static final int NR = 3;

    private FloatTiles() {}

    /**
     * {@code acc[r * nTok + t] += Σ_k panel[r * kc + k] · x[t * xStride + k0 + k]} for
     * r in [0, rows), t in [0, nTok).
     */
    static void multiplyAdd(float[] panel, int rows, int kc, float[] x, int xStride, int k0, int nTok, float[] acc) {
        int r = 0;
        for (; r + MR <= rows; r += MR) {
            int t = 0;
            for (; t + NR <= nTok; t += NR) {
                tile4x3(panel, r * kc, kc, x, t * xStride + k0, xStride, acc, r * nTok + t, nTok);
            }
            for (; t < nTok; t++) {
                for (int rr = r; rr < r + MR; rr++) {
                    acc[rr * nTok + t] += dot(panel, rr * kc, x, t * xStride + k0, kc);
                }
            }
        }
        for (; r < rows; r++) {
            for (int t = 0; t < nTok; t++) {
                acc[r * nTok + t] += dot(panel, r * kc, x, t * xStride + k0, kc);
            }
        }
    }

    /** Σ a[ao + k] · b[bo + k] over k in [0, n). */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        int k = 0;
        for (int bound = n - 2 * L; k <= bound; k += 2 * L) {
            s0 = FloatVector.fromArray(F, a, ao + k).fma(FloatVector.fromArray(F, b, bo + k), s0);
            s1 = FloatVector.fromArray(F, a, ao + k + L).fma(FloatVector.fromArray(F, b, bo + k + L), s1);
        }
        for (int bound = n - L; k <= bound; k += L) {
            s0 = FloatVector.fromArray(F, a, ao + k).fma(FloatVector.fromArray(F, b, bo + k), s0);
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; k < n; k++) s += a[ao + k] * b[bo + k];
        return s;
    }

    private static void tile4x3(float[] p, int p0, int kc, float[] x, int x0, int xs, float[] acc, int a0, int nTok) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        int p1 = p0 + kc, p2 = p1 + kc, p3 = p2 + kc;
        int x1 = x0 + xs, x2 = x1 + xs;
        int k = 0;
        for (int bound = kc - L; k <= bound; k += L) {
            FloatVector w0 = FloatVector.fromArray(F, p, p0 + k);
            FloatVector w1 = FloatVector.fromArray(F, p, p1 + k);
            FloatVector w2 = FloatVector.fromArray(F, p, p2 + k);
            FloatVector w3 = FloatVector.fromArray(F, p, p3 + k);
            FloatVector v = FloatVector.fromArray(F, x, x0 + k);
            c00 = w0.fma(v, c00);
            c10 = w1.fma(v, c10);
            c20 = w2.fma(v, c20);
            c30 = w3.fma(v, c30);
            v = FloatVector.fromArray(F, x, x1 + k);
            c01 = w0.fma(v, c01);
            c11 = w1.fma(v, c11);
            c21 = w2.fma(v, c21);
            c31 = w3.fma(v, c31);
            v = FloatVector.fromArray(F, x, x2 + k);
            c02 = w0.fma(v, c02);
            c12 = w1.fma(v, c12);
            c22 = w2.fma(v, c22);
            c32 = w3.fma(v, c32);
        }
        int a1 = a0 + nTok, a2 = a1 + nTok, a3 = a2 + nTok;
        acc[a0] += c00.reduceLanes(VectorOperators.ADD);
        acc[a0 + 1] += c01.reduceLanes(VectorOperators.ADD);
        acc[a0 + 2] += c02.reduceLanes(VectorOperators.ADD);
        acc[a1] += c10.reduceLanes(VectorOperators.ADD);
        acc[a1 + 1] += c11.reduceLanes(VectorOperators.ADD);
        acc[a1 + 2] += c12.reduceLanes(VectorOperators.ADD);
        acc[a2] += c20.reduceLanes(VectorOperators.ADD);
        acc[a2 + 1] += c21.reduceLanes(VectorOperators.ADD);
        acc[a2 + 2] += c22.reduceLanes(VectorOperators.ADD);
        acc[a3] += c30.reduceLanes(VectorOperators.ADD);
        acc[a3 + 1] += c31.reduceLanes(VectorOperators.ADD);
        acc[a3 + 2] += c32.reduceLanes(VectorOperators.ADD);
        // scalar tail when kc is not a multiple of the vector width (float weights with odd n_in)
        for (; k < kc; k++) {
            for (int r = 0; r < MR; r++) {
                float wv = p[p0 + r * kc + k];
                for (int t = 0; t < NR; t++) acc[a0 + r * nTok + t] += wv * x[x0 + t * xs + k];
            }
        }
    }
}
