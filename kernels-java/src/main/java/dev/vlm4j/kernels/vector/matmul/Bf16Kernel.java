package dev.vlm4j.kernels.vector.matmul;

import static dev.vlm4j.kernels.vector.matmul.Simd.F;
import static dev.vlm4j.kernels.vector.matmul.Simd.L;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** BF16 weights, widened to float32 in registers: GEMV against the float32 activation row, two rows at a time so each x vector is loaded once per pair. */
final class Bf16Kernel implements MatmulKernel {
    @Override
    public GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F32;
    }

    private static FloatVector load(MemorySegment w, long off) {
        return Simd.loadBf16(w, off);
    }

    private static float scalar(MemorySegment w, long off) {
        return Float.intBitsToFloat(w.get(Simd.I16, off) << 16);
    }

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        float[] xf = x.f;
        int n = x.n, bound = n - L;
        int r = rowStart;
        for (; r + 2 <= rowEnd; r += 2) {
            long b0 = r * rowBytes, b1 = b0 + rowBytes;
            FloatVector s0 = FloatVector.zero(F), s1 = s0;
            int k = 0;
            for (; k <= bound; k += L) {
                FloatVector v = FloatVector.fromArray(F, xf, k);
                s0 = load(w, b0 + 2L * k).fma(v, s0);
                s1 = load(w, b1 + 2L * k).fma(v, s1);
            }
            float d0 = s0.reduceLanes(VectorOperators.ADD), d1 = s1.reduceLanes(VectorOperators.ADD);
            for (; k < n; k++) {
                d0 += scalar(w, b0 + 2L * k) * xf[k];
                d1 += scalar(w, b1 + 2L * k) * xf[k];
            }
            y[r] = d0;
            y[r + 1] = d1;
        }
        for (; r < rowEnd; r++) {
            long b0 = r * rowBytes;
            FloatVector s0 = FloatVector.zero(F);
            int k = 0;
            for (; k <= bound; k += L) s0 = load(w, b0 + 2L * k).fma(FloatVector.fromArray(F, xf, k), s0);
            float d0 = s0.reduceLanes(VectorOperators.ADD);
            for (; k < n; k++) d0 += scalar(w, b0 + 2L * k) * xf[k];
            y[r] = d0;
        }
    }

    @Override
    public void decodePanel(MemorySegment w, long rowBytes, int row0, int rows, int k0, int kc, float[] dst) {
        for (int r = 0; r < rows; r++) {
            long base = (row0 + r) * rowBytes + 2L * k0;
            int d = r * kc, k = 0;
            for (int bound = kc - L; k <= bound; k += L) load(w, base + 2L * k).intoArray(dst, d + k);
            for (; k < kc; k++) dst[d + k] = scalar(w, base + 2L * k);
        }
    }
}
