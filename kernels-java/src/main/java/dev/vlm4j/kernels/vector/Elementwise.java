package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;
import static dev.vlm4j.kernels.vector.Simd.LE;

import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * add, mul (b the same shape as a, or one row broadcast over a's rows) and scale, over F32.
 * Each op keeps its own loop so the JIT sees one vector lambda per loop and keeps vectors in registers.
 */
final class Elementwise {
    private Elementwise() {}

    static void add(WorkerPool pool, Tensor a, Tensor b, Tensor out) {
        long rowLen = binaryChecks("add", a, b, out);
        MemorySegment as = a.data(), bs = b.data(), os = out.data();
        if (rowLen == 0) {
            Ranges.elements(pool, a.elementCount(), (from, to) -> {
                long i = from;
                for (; i + L <= to; i += L) {
                    FloatVector.fromMemorySegment(F, as, 4 * i, LE).add(FloatVector.fromMemorySegment(F, bs, 4 * i, LE))
                            .intoMemorySegment(os, 4 * i, LE);
                }
                if (i < to) {
                    VectorMask<Float> m = F.indexInRange(i, to);
                    FloatVector.fromMemorySegment(F, as, 4 * i, LE, m).add(FloatVector.fromMemorySegment(F, bs, 4 * i, LE, m))
                            .intoMemorySegment(os, 4 * i, LE, m);
                }
            });
        } else {
            Ranges.rows(pool, a.rowCount(), rowLen, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    long base = r * rowLen;
                    int j = 0;
                    for (; j + L <= rowLen; j += L) {
                        FloatVector.fromMemorySegment(F, as, 4 * (base + j), LE).add(FloatVector.fromMemorySegment(F, bs, 4L * j, LE))
                                .intoMemorySegment(os, 4 * (base + j), LE);
                    }
                    if (j < rowLen) {
                        VectorMask<Float> m = F.indexInRange(j, rowLen);
                        FloatVector.fromMemorySegment(F, as, 4 * (base + j), LE, m).add(FloatVector.fromMemorySegment(F, bs, 4L * j, LE, m))
                                .intoMemorySegment(os, 4 * (base + j), LE, m);
                    }
                }
            });
        }
    }

    static void mul(WorkerPool pool, Tensor a, Tensor b, Tensor out) {
        long rowLen = binaryChecks("mul", a, b, out);
        MemorySegment as = a.data(), bs = b.data(), os = out.data();
        if (rowLen == 0) {
            Ranges.elements(pool, a.elementCount(), (from, to) -> {
                long i = from;
                for (; i + L <= to; i += L) {
                    FloatVector.fromMemorySegment(F, as, 4 * i, LE).mul(FloatVector.fromMemorySegment(F, bs, 4 * i, LE))
                            .intoMemorySegment(os, 4 * i, LE);
                }
                if (i < to) {
                    VectorMask<Float> m = F.indexInRange(i, to);
                    FloatVector.fromMemorySegment(F, as, 4 * i, LE, m).mul(FloatVector.fromMemorySegment(F, bs, 4 * i, LE, m))
                            .intoMemorySegment(os, 4 * i, LE, m);
                }
            });
        } else {
            Ranges.rows(pool, a.rowCount(), rowLen, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    long base = r * rowLen;
                    int j = 0;
                    for (; j + L <= rowLen; j += L) {
                        FloatVector.fromMemorySegment(F, as, 4 * (base + j), LE).mul(FloatVector.fromMemorySegment(F, bs, 4L * j, LE))
                                .intoMemorySegment(os, 4 * (base + j), LE);
                    }
                    if (j < rowLen) {
                        VectorMask<Float> m = F.indexInRange(j, rowLen);
                        FloatVector.fromMemorySegment(F, as, 4 * (base + j), LE, m).mul(FloatVector.fromMemorySegment(F, bs, 4L * j, LE, m))
                                .intoMemorySegment(os, 4 * (base + j), LE, m);
                    }
                }
            });
        }
    }

    static void scale(WorkerPool pool, Tensor x, float s, Tensor out) {
        Checks.f32("scale", "x", x);
        Checks.f32("scale", "out", out);
        Checks.sameCount("scale", x, out);
        MemorySegment xs = x.data(), os = out.data();
        Ranges.elements(pool, x.elementCount(), (from, to) -> {
            long i = from;
            for (; i + L <= to; i += L) {
                FloatVector.fromMemorySegment(F, xs, 4 * i, LE).mul(s).intoMemorySegment(os, 4 * i, LE);
            }
            if (i < to) {
                VectorMask<Float> m = F.indexInRange(i, to);
                FloatVector.fromMemorySegment(F, xs, 4 * i, LE, m).mul(s).intoMemorySegment(os, 4 * i, LE, m);
            }
        });
    }

    /** Validates a binary op; returns 0 when b matches a element for element, else the broadcast row length. */
    private static long binaryChecks(String op, Tensor a, Tensor b, Tensor out) {
        Checks.f32(op, "a", a);
        Checks.f32(op, "b", b);
        Checks.f32(op, "out", out);
        Checks.sameRows(op, a, out);
        if (b.elementCount() == a.elementCount() && b.ne(0) == a.ne(0)) return 0;
        if (b.elementCount() == a.ne(0)) return a.ne(0);
        throw new IllegalArgumentException(op + ": b " + b + " must have a's shape " + a + " or be one row of " + a.ne(0));
    }
}
