package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.Simd.F;
import static dev.vlm4j.kernels.vector.Simd.L;
import static dev.vlm4j.kernels.vector.Simd.LE;

import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * GELU (tanh form), quick-GELU, SiLU and SwiGLU over F32, elementwise, in place allowed.
 * All go through {@link VectorMath#exp} (inlined, ≤ 2 ulp); GELU's tanh form is evaluated as
 * the identical {@code x·sigmoid(2y)}, since {@code 0.5·(1 + tanh(y)) = 1 / (1 + e^(−2y))}.
 */
final class Activations {
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);
    private static final float GELU_COEF = 0.044715f;
    private static final float QUICK_GELU_COEF = 1.702f;

    private Activations() {}

    static void gelu(WorkerPool pool, Tensor x, Tensor out) {
        unaryChecks("gelu", x, out);
        MemorySegment xs = x.data(), os = out.data();
        Ranges.elements(pool, x.elementCount(), (from, to) -> {
            long i = from;
            for (; i + L <= to; i += L) {
                gelu(FloatVector.fromMemorySegment(F, xs, 4 * i, LE)).intoMemorySegment(os, 4 * i, LE);
            }
            if (i < to) {
                VectorMask<Float> m = F.indexInRange(i, to);
                gelu(FloatVector.fromMemorySegment(F, xs, 4 * i, LE, m)).intoMemorySegment(os, 4 * i, LE, m);
            }
        });
    }

    /** 0.5·x·(1 + tanh(y)) with y = √(2/π)·x·(1 + 0.044715·x²), computed as x / (1 + e^(−2y)). */
    static FloatVector gelu(FloatVector v) {
        FloatVector minusTwoY = v.mul(-2f * SQRT_2_OVER_PI).mul(v.mul(v).fma(GELU_COEF, 1f));
        return v.div(VectorMath.exp(minusTwoY).add(1f));
    }

    static void quickGelu(WorkerPool pool, Tensor x, Tensor out) {
        unaryChecks("quickGelu", x, out);
        MemorySegment xs = x.data(), os = out.data();
        Ranges.elements(pool, x.elementCount(), (from, to) -> {
            long i = from;
            for (; i + L <= to; i += L) {
                sigmoidTimes(FloatVector.fromMemorySegment(F, xs, 4 * i, LE), -QUICK_GELU_COEF).intoMemorySegment(os, 4 * i, LE);
            }
            if (i < to) {
                VectorMask<Float> m = F.indexInRange(i, to);
                sigmoidTimes(FloatVector.fromMemorySegment(F, xs, 4 * i, LE, m), -QUICK_GELU_COEF).intoMemorySegment(os, 4 * i, LE, m);
            }
        });
    }

    static void silu(WorkerPool pool, Tensor x, Tensor out) {
        unaryChecks("silu", x, out);
        MemorySegment xs = x.data(), os = out.data();
        Ranges.elements(pool, x.elementCount(), (from, to) -> {
            long i = from;
            for (; i + L <= to; i += L) {
                sigmoidTimes(FloatVector.fromMemorySegment(F, xs, 4 * i, LE), -1f).intoMemorySegment(os, 4 * i, LE);
            }
            if (i < to) {
                VectorMask<Float> m = F.indexInRange(i, to);
                sigmoidTimes(FloatVector.fromMemorySegment(F, xs, 4 * i, LE, m), -1f).intoMemorySegment(os, 4 * i, LE, m);
            }
        });
    }

    static void swiglu(WorkerPool pool, Tensor gate, Tensor up, Tensor out) {
        Checks.f32("swiglu", "gate", gate);
        Checks.f32("swiglu", "up", up);
        Checks.f32("swiglu", "out", out);
        Checks.sameRows("swiglu", gate, up);
        Checks.sameRows("swiglu", gate, out);
        MemorySegment gs = gate.data(), us = up.data(), os = out.data();
        Ranges.elements(pool, gate.elementCount(), (from, to) -> {
            long i = from;
            for (; i + L <= to; i += L) {
                sigmoidTimes(FloatVector.fromMemorySegment(F, gs, 4 * i, LE), -1f)
                        .mul(FloatVector.fromMemorySegment(F, us, 4 * i, LE)).intoMemorySegment(os, 4 * i, LE);
            }
            if (i < to) {
                VectorMask<Float> m = F.indexInRange(i, to);
                sigmoidTimes(FloatVector.fromMemorySegment(F, gs, 4 * i, LE, m), -1f)
                        .mul(FloatVector.fromMemorySegment(F, us, 4 * i, LE, m)).intoMemorySegment(os, 4 * i, LE, m);
            }
        });
    }

    /** x / (1 + exp(negK·x)): x·sigmoid(k·x). Large |x| saturates to x or −0 without NaN. */
    private static FloatVector sigmoidTimes(FloatVector v, float negK) {
        return v.div(VectorMath.exp(v.mul(negK)).add(1f));
    }

    private static void unaryChecks(String op, Tensor x, Tensor out) {
        Checks.f32(op, "x", x);
        Checks.f32(op, "out", out);
        Checks.sameRows(op, x, out);
    }
}
