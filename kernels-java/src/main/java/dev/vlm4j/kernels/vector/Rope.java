package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;
import static dev.vlm4j.kernels.vector.Simd.LE;

import dev.vlm4j.core.backend.RopeMode;
import dev.vlm4j.core.backend.RopeParams;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * Rotary position embedding over x {@code [head_dim, n_head, n_tokens]} F32. The first
 * {@code nRot} dims of every head rotate, the rest pass through. Angles are computed in double
 * once per call (cos/sin table {@code [n_tokens][nRot/2]}); the last table is kept because a
 * model applies the same positions to q and k of every layer.
 */
final class Rope {
    /**
     * cos/sin per (token, pair) {@code [n_tokens][nRot/2]}; for NORM also lane-expanded
     * {@code [n_tokens][nRot]}: cosE[2i] = cosE[2i+1] = cos_i, sinE[2i] = −sin_i, sinE[2i+1] = sin_i.
     */
    private record Table(RopeParams params, int[] positions, float[] cos, float[] sin, float[] cosE, float[] sinE) {}

    /** Swaps adjacent lanes (0↔1, 2↔3, ...): the partner of each element of a NORM pair. */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);

    private volatile Table last;

    void rope(WorkerPool pool, Tensor x, int[] positions, RopeParams params, Tensor out) {
        Checks.f32("rope", "x", x);
        Checks.f32("rope", "out", out);
        Checks.sameRows("rope", x, out);
        if (positions == null) throw new IllegalArgumentException("rope: positions is null");
        if (params == null) throw new IllegalArgumentException("rope: params is null");
        int headDim = Checks.toInt("rope", "head_dim", x.ne(0));
        long nHead = x.ne(1);
        long nTok = x.ne(2) * x.ne(3);
        if (positions.length != nTok) {
            throw new IllegalArgumentException("rope: " + positions.length + " positions for " + nTok + " tokens of " + x);
        }
        if (params.nRot() > headDim) {
            throw new IllegalArgumentException("rope: n_rot " + params.nRot() + " exceeds head_dim " + headDim);
        }
        Table t = table(params, positions);
        int half = params.nRot() / 2;
        boolean neox = params.mode() == RopeMode.NEOX;
        MemorySegment xs = x.data(), os = out.data();
        Ranges.rows(pool, nHead * nTok, headDim, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = 4 * r * headDim;
                int tab = (int) (r / nHead) * half;
                if (neox) rotateNeox(xs, os, base, t.cos, t.sin, tab, half);
                else rotateNorm(xs, os, base, t, (int) (r / nHead), half);
                passThrough(xs, os, base, 2 * half, headDim);
            }
        });
    }

    /** Adjacent pairs (2i, 2i+1), llama: out = x·cosE + swap(x)·sinE on whole vectors (L/2 pairs each). */
    private static void rotateNorm(MemorySegment xs, MemorySegment os, long base, Table t, int token, int half) {
        int nRot = 2 * half, tab = token * nRot;
        float[] cosE = t.cosE, sinE = t.sinE;
        int i = 0;
        for (; i + L <= nRot; i += L) {
            FloatVector x = FloatVector.fromMemorySegment(F, xs, base + 4L * i, LE);
            x.mul(FloatVector.fromArray(F, cosE, tab + i))
                    .add(x.rearrange(SWAP_PAIRS).mul(FloatVector.fromArray(F, sinE, tab + i)))
                    .intoMemorySegment(os, base + 4L * i, LE);
        }
        for (; i < nRot; i += 2) {
            float a = xs.get(Simd.F32, base + 4L * i), b = xs.get(Simd.F32, base + 4L * i + 4);
            float c = cosE[tab + i], sn = sinE[tab + i + 1];
            os.set(Simd.F32, base + 4L * i, a * c - b * sn);
            os.set(Simd.F32, base + 4L * i + 4, a * sn + b * c);
        }
    }

    /** Pairs (i, i + nRot/2), GPT-NeoX / qwen2: both halves are contiguous, so whole vectors rotate. */
    private static void rotateNeox(MemorySegment xs, MemorySegment os, long base, float[] cos, float[] sin, int tab, int half) {
        long hb = base + 4L * half;
        int i = 0;
        for (; i + L <= half; i += L) {
            FloatVector a = FloatVector.fromMemorySegment(F, xs, base + 4L * i, LE);
            FloatVector b = FloatVector.fromMemorySegment(F, xs, hb + 4L * i, LE);
            FloatVector c = FloatVector.fromArray(F, cos, tab + i), s = FloatVector.fromArray(F, sin, tab + i);
            a.mul(c).sub(b.mul(s)).intoMemorySegment(os, base + 4L * i, LE);
            a.mul(s).add(b.mul(c)).intoMemorySegment(os, hb + 4L * i, LE);
        }
        for (; i < half; i++) {
            float a = xs.get(Simd.F32, base + 4L * i), b = xs.get(Simd.F32, hb + 4L * i);
            float c = cos[tab + i], s = sin[tab + i];
            os.set(Simd.F32, base + 4L * i, a * c - b * s);
            os.set(Simd.F32, hb + 4L * i, a * s + b * c);
        }
    }

    private static void passThrough(MemorySegment xs, MemorySegment os, long base, int from, int headDim) {
        if (from == headDim || xs.equals(os)) return;
        MemorySegment.copy(xs, base + 4L * from, os, base + 4L * from, 4L * (headDim - from));
    }

    private Table table(RopeParams params, int[] positions) {
        Table t = last;
        if (t != null && t.params.equals(params) && Arrays.equals(t.positions, positions)) return t;
        int half = params.nRot() / 2;
        float[] cos = new float[positions.length * half], sin = new float[positions.length * half];
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            inv[i] = params.freqScale() * Math.pow(params.freqBase(), -2.0 * i / params.nRot());
        }
        for (int p = 0; p < positions.length; p++) {
            for (int i = 0; i < half; i++) {
                double theta = positions[p] * inv[i];
                cos[p * half + i] = (float) Math.cos(theta);
                sin[p * half + i] = (float) Math.sin(theta);
            }
        }
        float[] cosE = null, sinE = null;
        if (params.mode() == RopeMode.NORM) {
            cosE = new float[positions.length * 2 * half];
            sinE = new float[positions.length * 2 * half];
            for (int k = 0; k < positions.length * half; k++) {
                cosE[2 * k] = cos[k];
                cosE[2 * k + 1] = cos[k];
                sinE[2 * k] = -sin[k];
                sinE[2 * k + 1] = sin[k];
            }
        }
        t = new Table(params, positions.clone(), cos, sin, cosE, sinE);
        last = t;
        return t;
    }
}
