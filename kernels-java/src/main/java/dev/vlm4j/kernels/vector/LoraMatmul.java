package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;
import static dev.vlm4j.kernels.vector.Simd.LE;

import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.matmul.MatmulKernels;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * {@code y = x·Wᵀ + Σ s·(x·Aᵀ)·Bᵀ} restricted to the tokens the LoRA mask selects.
 *
 * <p>Shapes: W {@code [n_in, n_out]}, x {@code [n_in, n_tok]}, y {@code [n_out, n_tok]};
 * per term A {@code [n_in, r]}, B {@code [r, n_out]}. The selected tokens are gathered once into
 * {@code xs [n_in, n_sel]}; per term the rank-r intermediate {@code t = xs·Aᵀ [r, n_sel]} is
 * computed once, then {@code u = t·Bᵀ [n_out, n_sel]} is added, scaled, into y's selected columns.
 * For a GEMV the extra bytes are A and B (2·r·n for F32), a few percent of a quantized W.
 */
final class LoraMatmul {
    private static final int SLOT_X = 0, SLOT_T = 1, SLOT_U = 2;

    private LoraMatmul() {}

    static void plain(WorkerPool pool, Tensor w, Tensor x, Tensor y) {
        check(w, x, y);
        MatmulKernels.matmul(w, x, y, pool);
    }

    static void fused(WorkerPool pool, Scratch scratch, Tensor w, Tensor x, Tensor y, Lora lora) {
        check(w, x, y);
        int nTok = (int) x.ne(1);
        long nIn = w.ne(0), nOut = w.ne(1);
        if (lora != null) {
            for (LoraTerm term : lora.terms()) checkTerm(term, nIn, nOut);
            if (lora.tokenMask() != null && lora.tokenMask().length != nTok) {
                throw new IllegalArgumentException("matmul: LoRA token mask has " + lora.tokenMask().length
                        + " entries for " + nTok + " tokens");
            }
        }
        MatmulKernels.matmul(w, x, y, pool);
        if (lora == null || lora.terms().isEmpty()) return;

        int[] selected = selectedTokens(lora, nTok);
        int nSel = selected.length;
        if (nSel == 0) return;
        Tensor xs = nSel == nTok ? x : gather(scratch, x, selected);
        for (LoraTerm term : lora.terms()) {
            long rank = term.rank();
            Tensor t = scratch.f32(SLOT_T, rank, nSel);
            MatmulKernels.matmul(term.a(), xs, t, pool);
            Tensor u = scratch.f32(SLOT_U, nOut, nSel);
            MatmulKernels.matmul(term.b(), t, u, pool);
            addScaledColumns(pool, u, term.scale(), y, selected);
        }
    }

    /** Indices of tokens the adapters apply to, in order. */
    private static int[] selectedTokens(Lora lora, int nTok) {
        int n = 0;
        for (int i = 0; i < nTok; i++) if (lora.appliesTo(i)) n++;
        int[] sel = new int[n];
        for (int i = 0, k = 0; i < nTok; i++) if (lora.appliesTo(i)) sel[k++] = i;
        return sel;
    }

    /** xs[:, k] = x[:, selected[k]]. */
    private static Tensor gather(Scratch scratch, Tensor x, int[] selected) {
        long nIn = x.ne(0);
        Tensor xs = scratch.f32(SLOT_X, nIn, selected.length);
        for (int k = 0; k < selected.length; k++) {
            MemorySegment.copy(x.data(), 4 * nIn * selected[k], xs.data(), 4 * nIn * k, 4 * nIn);
        }
        return xs;
    }

    /** y[:, selected[k]] += s · u[:, k]; u {@code [n_out, n_sel]}. */
    private static void addScaledColumns(WorkerPool pool, Tensor u, float s, Tensor y, int[] selected) {
        long nOut = y.ne(0);
        MemorySegment us = u.data(), ys = y.data();
        FloatVector sv = FloatVector.broadcast(F, s);
        Ranges.rows(pool, selected.length, nOut, (k0, k1) -> {
            for (long k = k0; k < k1; k++) {
                long ub = 4 * nOut * k, yb = 4 * nOut * selected[(int) k];
                long j = 0;
                for (; j + L <= nOut; j += L) {
                    FloatVector.fromMemorySegment(F, us, ub + 4 * j, LE)
                            .fma(sv, FloatVector.fromMemorySegment(F, ys, yb + 4 * j, LE))
                            .intoMemorySegment(ys, yb + 4 * j, LE);
                }
                if (j < nOut) {
                    VectorMask<Float> m = F.indexInRange(j, nOut);
                    FloatVector.fromMemorySegment(F, us, ub + 4 * j, LE, m)
                            .fma(sv, FloatVector.fromMemorySegment(F, ys, yb + 4 * j, LE, m))
                            .intoMemorySegment(ys, yb + 4 * j, LE, m);
                }
            }
        });
    }

    private static void check(Tensor w, Tensor x, Tensor y) {
        if (w == null) throw new IllegalArgumentException("matmul: w is null");
        if (!MatmulKernels.supports(w.type())) {
            throw new UnsupportedOperationException("matmul: weight type " + w.type().displayName() + " is not supported by the java backend");
        }
        Checks.f32("matmul", "x", x);
        Checks.f32("matmul", "y", y);
        if (w.rowCount() != w.ne(1) || x.rowCount() != x.ne(1) || y.rowCount() != y.ne(1)) {
            throw new IllegalArgumentException("matmul: w " + w + ", x " + x + ", y " + y + " must be 2-D");
        }
        if (x.ne(0) != w.ne(0)) {
            throw new IllegalArgumentException("matmul: x " + x + " rows must have n_in = " + w.ne(0) + " of w " + w);
        }
        if (y.ne(0) != w.ne(1) || y.ne(1) != x.ne(1)) {
            throw new IllegalArgumentException("matmul: y " + y + " must be [" + w.ne(1) + ", " + x.ne(1) + "] for w " + w + " and x " + x);
        }
    }

    private static void checkTerm(LoraTerm term, long nIn, long nOut) {
        Tensor a = term.a(), b = term.b();
        for (GgmlType t : new GgmlType[] {a.type(), b.type()}) {
            if (!MatmulKernels.supports(t)) {
                throw new UnsupportedOperationException("matmul: LoRA tensor type " + t.displayName() + " is not supported by the java backend");
            }
        }
        if (a.ne(0) != nIn || a.rowCount() != a.ne(1)) {
            throw new IllegalArgumentException("matmul: LoRA A " + a + " must be [" + nIn + ", r]");
        }
        if (b.ne(1) != nOut || b.rowCount() != b.ne(1)) {
            throw new IllegalArgumentException("matmul: LoRA B " + b + " must be [r, " + nOut + "]");
        }
    }
}
