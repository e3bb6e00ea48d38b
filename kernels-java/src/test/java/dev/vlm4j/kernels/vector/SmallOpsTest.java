package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.TestData.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.ReferenceBackend;
import dev.vlm4j.core.backend.RopeMode;
import dev.vlm4j.core.backend.RopeParams;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Norms, RoPE, softmax, activations, elementwise ops, rows and patch embedding against the float64
 * {@link ReferenceBackend}: odd row lengths (not multiples of any vector width), row counts large
 * enough to go through the thread pool, NaN-poisoned outputs, and in-place calls.
 */
class SmallOpsTest {
    /** float32 arithmetic against float64: ~1e-14 typical, far below a real bug (> 1e-4). */
    private static final double BOUND = 1e-11;

    private static JavaBackend java;
    private static final ReferenceBackend ref = new ReferenceBackend();

    @BeforeAll
    static void open() {
        java = new JavaBackend(BackendOptions.threads(4));
    }

    @AfterAll
    static void close() {
        java.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 33, 4096 + 5})
    void rmsNormWithAndWithoutWeight(int n) {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 11 + n);
            int rows = n > 1000 ? 19 : 67;
            Tensor x = d.f32(3f, n, rows), w = d.f32(2f, n);
            for (Tensor weight : new Tensor[] {w, null}) {
                Tensor got = d.poisoned(n, rows), want = d.poisoned(n, rows);
                java.rmsNorm(x, weight, 1e-5f, got);
                ref.rmsNorm(x, weight, 1e-5f, want);
                assertClose("rmsNorm n=" + n, got, want, BOUND);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 9, 31, 1024 + 3})
    void layerNormWithOptionalWeightAndBias(int n) {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 21 + n);
            int rows = 45;
            Tensor x = d.f32(3f, n, rows), w = d.f32(2f, n), b = d.f32(1f, n);
            // shift the rows far from zero: the two-pass variance must not cancel
            Tensor shifted = d.copyOf(x);
            java.add(x, d.f32(0f, n), shifted);
            for (long i = 0; i < shifted.elementCount(); i++) shifted.setFloat(i, shifted.getFloat(i) + 100f);
            for (Tensor in : new Tensor[] {x, shifted}) {
                for (Tensor[] wb : new Tensor[][] {{w, b}, {null, null}, {w, null}, {null, b}}) {
                    Tensor got = d.poisoned(n, rows), want = d.poisoned(n, rows);
                    java.layerNorm(in, wb[0], wb[1], 1e-6f, got);
                    ref.layerNorm(in, wb[0], wb[1], 1e-6f, want);
                    // rows shifted by 100 lose ~1e-6 relative in the float mean: the bound reflects float32 input rounding
                    assertClose("layerNorm n=" + n, got, want, 1e-10);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"NORM", "NEOX"})
    void ropeFullAndPartialRotation(String mode) {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 31);
            int headDim = 72, nHead = 5, nTok = 13;
            int[] positions = new int[nTok];
            for (int t = 0; t < nTok; t++) positions[t] = 3 + 97 * t;
            Tensor x = d.f32(2f, headDim, nHead, nTok);
            for (int nRot : new int[] {headDim, 40, 2}) {
                RopeParams p = new RopeParams(RopeMode.valueOf(mode), nRot, 10000f, 0.5f);
                Tensor got = d.poisoned(headDim, nHead, nTok), want = d.poisoned(headDim, nHead, nTok);
                java.rope(x, positions, p, got);
                ref.rope(x, positions, p, want);
                assertClose("rope " + mode + " nRot=" + nRot, got, want, 1e-12);
                Tensor inPlace = d.copyOf(x);
                java.rope(inPlace, positions, p, inPlace);
                assertClose("rope in place " + mode + " nRot=" + nRot, inPlace, want, 1e-12);
            }
        }
    }

    @Test
    void ropeRejectsWrongPositionCount() {
        try (Arena arena = Arena.ofShared()) {
            Tensor x = Tensor.f32(arena, 8, 2, 3);
            RopeParams p = new RopeParams(RopeMode.NORM, 8, 10000f, 1f);
            assertThrows(IllegalArgumentException.class, () -> java.rope(x, new int[2], p, x));
            assertThrows(IllegalArgumentException.class, () -> java.rope(x, new int[3], new RopeParams(RopeMode.NORM, 10, 1e4f, 1f), x));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 17, 577, 2048 + 7})
    void softmaxScaled(int n) {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 41 + n);
            Tensor x = d.f32(20f, n, 23);
            Tensor got = d.poisoned(n, 23), want = d.poisoned(n, 23);
            java.softmax(x, 0.125f, got);
            ref.softmax(x, 0.125f, want);
            assertClose("softmax n=" + n, got, want, BOUND);
            java.softmax(x, 0.125f, x);
            assertClose("softmax in place n=" + n, x, want, BOUND);
        }
    }

    @Test
    void activations() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 51);
            long[] shape = {1000 + 3, 41};
            Tensor x = d.f32(12f, shape), up = d.f32(3f, shape);
            // saturating tails: large magnitudes must give x or 0, never NaN
            x.setFloat(0, 90f);
            x.setFloat(1, -90f);
            x.setFloat(2, 3e4f);
            x.setFloat(3, -3e4f);
            Tensor got = d.poisoned(shape), want = d.poisoned(shape);
            java.gelu(x, got);
            ref.gelu(x, want);
            assertClose("gelu", got, want, BOUND);
            java.quickGelu(x, got);
            ref.quickGelu(x, want);
            assertClose("quickGelu", got, want, BOUND);
            java.silu(x, got);
            ref.silu(x, want);
            assertClose("silu", got, want, BOUND);
            Tensor got2 = d.poisoned(shape);
            java.swiglu(x, up, got2);
            ref.swiglu(x, up, want);
            assertClose("swiglu", got2, want, BOUND);
            Tensor inPlace = d.copyOf(x);
            ref.gelu(x, want);
            java.gelu(inPlace, inPlace);
            assertClose("gelu in place", inPlace, want, BOUND);
        }
    }

    @Test
    void addMulScaleWithBroadcast() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 61);
            long n = 331, rows = 77;
            Tensor a = d.f32(2f, n, rows), b = d.f32(2f, n, rows), row = d.f32(2f, n);
            for (Tensor bb : new Tensor[] {b, row}) {
                Tensor got = d.poisoned(n, rows), want = d.poisoned(n, rows);
                java.add(a, bb, got);
                ref.add(a, bb, want);
                assertClose("add", got, want, 0);
                java.mul(a, bb, got);
                ref.mul(a, bb, want);
                assertClose("mul", got, want, 0);
            }
            Tensor got = d.poisoned(n, rows), want = d.poisoned(n, rows);
            java.scale(a, -0.37f, got);
            ref.scale(a, -0.37f, want);
            assertClose("scale", got, want, 0);
            Tensor acc = d.copyOf(a);
            java.add(acc, b, acc);
            ref.add(a, b, want);
            assertClose("add in place", acc, want, 0);
            assertThrows(IllegalArgumentException.class, () -> java.add(a, d.f32(1f, n + 1), d.poisoned(n, rows)));
        }
    }

    @Test
    void getRowsAndCopy() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 71);
            long n = 96, nRows = 50;
            int[] ids = {0, 49, 7, 7, 23};
            for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16}) {
                Tensor table = d.of(t, 1f, n, nRows);
                Tensor got = d.poisoned(n, ids.length), want = d.poisoned(n, ids.length);
                java.getRows(table, ids, got);
                ref.getRows(table, ids, want);
                assertClose("getRows " + t, got, want, 0);
            }
            Tensor table = d.f32(1f, n, nRows);
            assertThrows(IndexOutOfBoundsException.class, () -> java.getRows(table, new int[] {50}, d.poisoned(n, 1)));
            assertThrows(IndexOutOfBoundsException.class, () -> java.getRows(table, new int[] {-1}, d.poisoned(n, 1)));

            Tensor src = d.f32(70000f, 4097, 9);
            for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16}) {
                Tensor got = Tensor.allocate(arena, t, 4097, 9), want = Tensor.allocate(arena, t, 4097, 9);
                java.copy(src, got);
                ref.copy(src, want);
                assertEquals(-1L, got.data().mismatch(want.data()), "copy to " + t + " must match bit for bit");
            }
            assertThrows(UnsupportedOperationException.class,
                    () -> java.copy(src, Tensor.allocate(arena, GgmlType.Q8_0, 4097 * 9 / 32 * 32)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16"})
    void patchEmbedMatchesConvolution(String type) {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 81);
            int p = 5, nx = 4, ny = 3, embd = 37;
            Tensor image = d.f32(1f, (long) p * nx, (long) p * ny, 3);
            Tensor kernel = d.of(GgmlType.valueOf(type), 0.5f, p, p, 3, embd);
            Tensor bias = d.f32(1f, embd);
            for (Tensor b : new Tensor[] {bias, null}) {
                Tensor got = d.poisoned(embd, nx * ny), want = d.poisoned(embd, nx * ny);
                java.patchEmbed(image, kernel, b, got);
                ref.patchEmbed(image, kernel, b, want);
                assertClose("patchEmbed " + type, got, want, BOUND);
            }
            assertThrows(IllegalArgumentException.class,
                    () -> java.patchEmbed(d.f32(1f, p * nx + 1, p * ny, 3), kernel, null, d.poisoned(embd, nx * ny)));
        }
    }
}
