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
import jdk.incubator.vector.VectorOperators;

/**
 * {@code y = x·Wᵀ + Σ s·(x·Aᵀ)·Bᵀ} restricted to the tokens the LoRA mask selects.
 *
 * <p>Shapes: W {@code [n_in, n_out]}, x {@code [n_in, n_tok]}, y {@code [n_out, n_tok]};
 * per term A {@code [n_in, r]}, B {@code [r, n_out]}. The selected tokens are gathered once into
 * {@code xs [n_in, n_sel]}; per term the rank-r intermediate {@code t = xs·Aᵀ [r, n_sel]} is
 * computed once, then {@code s·t·Bᵀ} is added into y's selected columns. F32/F16 adapters (the
 * usual case) run on dedicated loops that read A and B once; other types go through the matmul
 * kernel table with temporaries. For a GEMV the extra bytes are A and B (2·r·n elements), a few
 * percent of a quantized W.
 */
final class LoraMatmul {
    private static final int SLOT_X = 0, SLOT_T = 1, SLOT_U = 2;
    /**
     * Elements of A or B per task. Smaller than the elementwise ops' split: in a GEMV the adapters
     * are streamed once, and 16 threads reading 16 KiB each beat 4 threads reading 64 KiB.
     */
    private static final long LORA_TASK_ELEMENTS = 4096;

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
        if (selected.length == 0) return;
        float[] xs = null;
        for (LoraTerm term : lora.terms()) {
            RowWidener aRows = RowWidener.TABLE.get(term.a().type()), bRows = RowWidener.TABLE.get(term.b().type());
            if (aRows != null && bRows != null) {
                if (xs == null) xs = gatherToArray(x, selected);
                float[] t = project(pool, term.a(), aRows, xs, selected.length);
                expand(pool, term.b(), bRows, t, term.scale(), y, selected);
            } else {
                viaMatmulKernels(pool, scratch, x, y, term, selected);
            }
        }
    }

    /** xs[k·n_in ..] = x[:, selected[k]] as floats. */
    private static float[] gatherToArray(Tensor x, int[] selected) {
        int nIn = (int) x.ne(0);
        float[] xs = new float[nIn * selected.length];
        for (int k = 0; k < selected.length; k++) {
            MemorySegment.copy(x.data(), Simd.F32, 4L * nIn * selected[k], xs, k * nIn, nIn);
        }
        return xs;
    }

    /**
     * The rank-r intermediate t {@code [r, n_sel]} (index m·r + k) = x_m · A_k, for F32/F16 A.
     * Tasks own ranges of A rows, so each row is read once for all selected tokens.
     */
    private static float[] project(WorkerPool pool, Tensor a, RowWidener rows, float[] xs, int nSel) {
        int nIn = (int) a.ne(0), rank = (int) a.ne(1);
        float[] t = new float[rank * nSel];
        long rowBytes = a.rowBytes();
        MemorySegment as = a.data();
        // A is streamed from memory once: split finely (a row of A per task at least) so every thread reads
        Ranges.split(pool, rank, Math.max(1, LORA_TASK_ELEMENTS / ((long) nIn * nSel)), 1, (k0, k1) -> {
            float[] row = new float[nIn];
            for (int k = (int) k0; k < k1; k++) {
                rows.load(as, k * rowBytes, row, 0, nIn);
                for (int m = 0; m < nSel; m++) t[m * rank + k] = dot(row, 0, xs, m * nIn, nIn);
            }
        });
        return t;
    }

    /** y[o, selected[m]] += s · B_o · t_m for F32/F16 B {@code [r, n_out]}: fused, no [n_out, n_sel] temporary. */
    private static void expand(WorkerPool pool, Tensor b, RowWidener rows, float[] t, float s, Tensor y, int[] selected) {
        int rank = (int) b.ne(0), nOut = (int) b.ne(1), nSel = selected.length;
        long rowBytes = b.rowBytes();
        MemorySegment bs = b.data(), ys = y.data();
        Ranges.split(pool, nOut, Math.max(1, LORA_TASK_ELEMENTS / ((long) rank * nSel)), 1, (o0, o1) -> {
            // the task's rows of B are contiguous: widen them in one call (per-row calls cost more than the math)
            int n = (int) (o1 - o0);
            float[] block = new float[n * rank];
            rows.load(bs, o0 * rowBytes, block, 0, n * rank);
            for (int k = 0; k < n; k++) {
                int o = (int) o0 + k;
                for (int m = 0; m < nSel; m++) {
                    long off = 4L * ((long) selected[m] * nOut + o);
                    ys.set(Simd.F32, off, ys.get(Simd.F32, off) + s * dot(block, k * rank, t, m * rank, rank));
                }
            }
        });
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float sum = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.zero(F);
            for (; i + L <= n; i += L) acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }

    /** Any other A/B types: t = xs·Aᵀ and u = t·Bᵀ through the matmul kernel table, then y += s·u. */
    private static void viaMatmulKernels(WorkerPool pool, Scratch scratch, Tensor x, Tensor y, LoraTerm term, int[] selected) {
        int nSel = selected.length;
        Tensor xs = nSel == x.ne(1) ? x : gather(scratch, x, selected);
        Tensor t = scratch.f32(SLOT_T, term.rank(), nSel);
        MatmulKernels.matmul(term.a(), xs, t, pool);
        Tensor u = scratch.f32(SLOT_U, y.ne(0), nSel);
        MatmulKernels.matmul(term.b(), t, u, pool);
        addScaledColumns(pool, u, term.scale(), y, selected);
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
