package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;
import static dev.vlm4j.kernels.vector.Simd.LE;

import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * RMS norm and layer norm over rows of x {@code [n, rows]} F32, optional weight/bias {@code [n]}.
 * Row statistics are summed in float vector lanes (L partial sums) and finished in double.
 */
final class Norms {
    private Norms() {}

    static void rmsNorm(WorkerPool pool, Tensor x, Tensor weight, float eps, Tensor out) {
        Checks.f32("rmsNorm", "x", x);
        Checks.f32("rmsNorm", "out", out);
        Checks.sameRows("rmsNorm", x, out);
        long n = x.ne(0);
        Checks.rowVector("rmsNorm", "weight", weight, n);
        MemorySegment xs = x.data(), os = out.data(), ws = weight == null ? null : weight.data();
        Ranges.rows(pool, x.rowCount(), n, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = 4 * r * n;
                FloatVector acc = FloatVector.zero(F);
                long j = 0;
                for (; j + L <= n; j += L) {
                    FloatVector v = FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE);
                    acc = v.fma(v, acc);
                }
                if (j < n) {
                    FloatVector v = FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE, F.indexInRange(j, n));
                    acc = v.fma(v, acc);
                }
                double mean = acc.reduceLanes(VectorOperators.ADD) / (double) n;
                float inv = (float) (1.0 / Math.sqrt(mean + eps));
                scaleRow(xs, os, ws, null, base, n, 0f, inv);
            }
        });
    }

    static void layerNorm(WorkerPool pool, Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        Checks.f32("layerNorm", "x", x);
        Checks.f32("layerNorm", "out", out);
        Checks.sameRows("layerNorm", x, out);
        long n = x.ne(0);
        Checks.rowVector("layerNorm", "weight", weight, n);
        Checks.rowVector("layerNorm", "bias", bias, n);
        MemorySegment xs = x.data(), os = out.data();
        MemorySegment ws = weight == null ? null : weight.data(), bs = bias == null ? null : bias.data();
        Ranges.rows(pool, x.rowCount(), n, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = 4 * r * n;
                FloatVector sum = FloatVector.zero(F);
                long j = 0;
                for (; j + L <= n; j += L) sum = sum.add(FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE));
                if (j < n) sum = sum.add(FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE, F.indexInRange(j, n)));
                float mean = (float) (sum.reduceLanes(VectorOperators.ADD) / (double) n);
                // second pass on centred values: no cancellation when |mean| >> std
                FloatVector sq = FloatVector.zero(F);
                j = 0;
                for (; j + L <= n; j += L) {
                    FloatVector d = FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE).sub(mean);
                    sq = d.fma(d, sq);
                }
                if (j < n) {
                    VectorMask<Float> m = F.indexInRange(j, n);
                    FloatVector d = FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE, m).sub(mean, m);
                    sq = d.fma(d, sq);
                }
                double var = sq.reduceLanes(VectorOperators.ADD) / (double) n;
                float inv = (float) (1.0 / Math.sqrt(var + eps));
                scaleRow(xs, os, ws, bs, base, n, mean, inv);
            }
        });
    }

    /** out = (x − mean) · inv ⊙ w + b for one row starting at byte {@code base}; w and b may be null. */
    private static void scaleRow(MemorySegment xs, MemorySegment os, MemorySegment ws, MemorySegment bs,
                                 long base, long n, float mean, float inv) {
        long j = 0;
        for (; j + L <= n; j += L) {
            FloatVector v = FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE).sub(mean).mul(inv);
            if (ws != null) v = v.mul(FloatVector.fromMemorySegment(F, ws, 4 * j, LE));
            if (bs != null) v = v.add(FloatVector.fromMemorySegment(F, bs, 4 * j, LE));
            v.intoMemorySegment(os, base + 4 * j, LE);
        }
        if (j < n) {
            VectorMask<Float> m = F.indexInRange(j, n);
            FloatVector v = FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE, m).sub(mean).mul(inv);
            if (ws != null) v = v.mul(FloatVector.fromMemorySegment(F, ws, 4 * j, LE, m));
            if (bs != null) v = v.add(FloatVector.fromMemorySegment(F, bs, 4 * j, LE, m));
            v.intoMemorySegment(os, base + 4 * j, LE, m);
        }
    }
}
