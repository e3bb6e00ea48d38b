package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;
import static dev.vlm4j.kernels.vector.Simd.LE;

import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Row softmax {@code out = softmax(scale · x)} over x {@code [n, rows]} F32, max-subtracted; in place allowed. */
final class Softmax {
    private Softmax() {}

    static void softmax(WorkerPool pool, Tensor x, float scale, Tensor out) {
        Checks.f32("softmax", "x", x);
        Checks.f32("softmax", "out", out);
        Checks.sameRows("softmax", x, out);
        long n = x.ne(0);
        MemorySegment xs = x.data(), os = out.data();
        Ranges.rows(pool, x.rowCount(), n, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long base = 4 * r * n;
                FloatVector mx = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
                long j = 0;
                for (; j + L <= n; j += L) {
                    mx = mx.max(FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE).mul(scale));
                }
                if (j < n) {
                    VectorMask<Float> m = F.indexInRange(j, n);
                    mx = mx.lanewise(VectorOperators.MAX, FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE, m).mul(scale), m);
                }
                float max = mx.reduceLanes(VectorOperators.MAX);
                FloatVector sum = FloatVector.zero(F);
                j = 0;
                for (; j + L <= n; j += L) {
                    FloatVector e = VectorMath.exp(FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE).mul(scale).sub(max));
                    sum = sum.add(e);
                    e.intoMemorySegment(os, base + 4 * j, LE);
                }
                if (j < n) {
                    VectorMask<Float> m = F.indexInRange(j, n);
                    FloatVector e = VectorMath.exp(FloatVector.fromMemorySegment(F, xs, base + 4 * j, LE, m).mul(scale).sub(max));
                    sum = sum.add(e, m);
                    e.intoMemorySegment(os, base + 4 * j, LE, m);
                }
                float inv = (float) (1.0 / sum.reduceLanes(VectorOperators.ADD));
                j = 0;
                for (; j + L <= n; j += L) {
                    FloatVector.fromMemorySegment(F, os, base + 4 * j, LE).mul(inv).intoMemorySegment(os, base + 4 * j, LE);
                }
                if (j < n) {
                    VectorMask<Float> m = F.indexInRange(j, n);
                    FloatVector.fromMemorySegment(F, os, base + 4 * j, LE, m).mul(inv).intoMemorySegment(os, base + 4 * j, LE, m);
                }
            }
        });
    }
}
