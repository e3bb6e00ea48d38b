package dev.vlm4j.kernels.vector;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.core.testing.Nmse;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random tensors and comparisons for the kernel tests. */
final class TestData {
    private final Arena arena;
    private final SplittableRandom random;

    TestData(Arena arena, long seed) {
        this.arena = arena;
        this.random = new SplittableRandom(seed);
        System.out.println("seed " + seed);
    }

    /** Uniform values in [-range, range). */
    Tensor f32(float range, long... ne) {
        Tensor t = Tensor.f32(arena, ne);
        for (long i = 0, n = t.elementCount(); i < n; i++) t.setFloat(i, (float) ((random.nextDouble() * 2 - 1) * range));
        return t;
    }

    /** An F16 tensor with random values; {@link Tensor#toFloatArray()} gives its exact float values. */
    Tensor f16(float range, long... ne) {
        Tensor t = Tensor.allocate(arena, GgmlType.F16, ne);
        for (long i = 0, n = t.elementCount(); i < n; i++) t.setFloat(i, (float) ((random.nextDouble() * 2 - 1) * range));
        return t;
    }

    /** Random values of {@code type}: F32/F16 directly, quantized types through their {@link Codecs} encoder. */
    Tensor of(GgmlType type, float range, long... ne) {
        return switch (type) {
            case F32 -> f32(range, ne);
            case F16 -> f16(range, ne);
            default -> {
                Tensor t = Tensor.allocate(arena, type, ne);
                float[] v = new float[(int) t.elementCount()];
                for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * range);
                Codecs.encoder(type).encode(v, 0, v.length, t.data(), 0);
                yield t;
            }
        };
    }

    /** An F32 tensor full of NaN: every element an op fails to write stays NaN. */
    Tensor poisoned(long... ne) {
        Tensor t = Tensor.f32(arena, ne);
        for (long i = 0, n = t.elementCount(); i < n; i++) t.setFloat(i, Float.NaN);
        return t;
    }

    Tensor copyOf(Tensor t) {
        Tensor c = Tensor.allocate(arena, t.type(), t.shape());
        c.data().copyFrom(t.data());
        return c;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Every element written (no NaN left from poisoning) and NMSE against the reference below {@code bound}. */
    static void assertClose(String what, Tensor got, Tensor ref, double bound) {
        float[] g = got.toFloatArray(), r = ref.toFloatArray();
        for (int i = 0; i < g.length; i++) {
            if (Float.isNaN(g[i]) && !Float.isNaN(r[i])) {
                throw new AssertionError(what + ": element " + i + " is NaN (not written?), reference " + r[i]);
            }
        }
        double nmse = Nmse.of(g, r);
        assertTrue(nmse <= bound, what + ": NMSE " + nmse + " > " + bound + " (first values got "
                + Arrays.toString(Arrays.copyOf(g, Math.min(4, g.length))) + " ref "
                + Arrays.toString(Arrays.copyOf(r, Math.min(4, r.length))) + ")");
    }
}
