package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.util.Arrays;

/** Argument checks shared by the ops: each failure names the op, the tensor and what was expected. */
final class Checks {
    private Checks() {}

    static void f32(String op, String what, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": " + what + " is null");
        if (t.type() != GgmlType.F32) {
            throw new IllegalArgumentException(op + ": " + what + " must be F32, got " + t);
        }
    }

    static void sameCount(String op, Tensor x, Tensor out) {
        if (x.elementCount() != out.elementCount()) {
            throw new IllegalArgumentException(op + ": output " + out + " must have as many elements as input " + x);
        }
    }

    static void sameRows(String op, Tensor x, Tensor out) {
        sameCount(op, x, out);
        if (x.ne(0) != out.ne(0)) {
            throw new IllegalArgumentException(op + ": output " + out + " must have rows of " + x.ne(0) + " like " + x);
        }
    }

    /** A per-row parameter vector (norm weight, bias): null or exactly {@code n} F32 values. */
    static void rowVector(String op, String what, Tensor t, long n) {
        if (t == null) return;
        f32(op, what, t);
        if (t.elementCount() != n) {
            throw new IllegalArgumentException(op + ": " + what + " " + t + " must have " + n + " elements");
        }
    }

    static void shape(String op, String what, Tensor t, long... ne) {
        for (int i = 0; i < Tensor.MAX_DIMS; i++) {
            long want = i < ne.length ? ne[i] : 1;
            if (t.ne(i) != want) {
                throw new IllegalArgumentException(op + ": " + what + " " + t + " must have shape " + Arrays.toString(ne));
            }
        }
    }

    static int toInt(String op, String what, long v) {
        if (v > Integer.MAX_VALUE) throw new IllegalArgumentException(op + ": " + what + " " + v + " is too large");
        return (int) v;
    }
}
