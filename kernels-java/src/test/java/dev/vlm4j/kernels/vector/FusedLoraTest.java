package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.TestData.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.backend.ReferenceBackend;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fused LoRA matmul against the float64 reference: masks, several adapters, F32/F16/quantized tensors. */
class FusedLoraTest {
    /** The float32 matmul itself sums n_in products in float: about 1e-13 on these sizes. */
    private static final double BOUND = 1e-10;

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
    @ValueSource(strings = {"F32", "F16", "Q8_0", "Q4_0"})
    void twoAdaptersWithAndWithoutMask(String weightType) {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 91 + weightType.hashCode());
            long nIn = 96, nOut = 45;
            int nTok = 7;
            Tensor w = d.of(GgmlType.valueOf(weightType), 1f, nIn, nOut);
            Tensor x = d.f32(1f, nIn, nTok);
            LoraTerm t1 = new LoraTerm(d.f32(0.5f, nIn, 5), d.f32(0.5f, 5, nOut), 0.75f);
            LoraTerm t2 = new LoraTerm(d.f16(0.5f, nIn, 3), d.f16(0.5f, 3, nOut), -1.5f);
            boolean[] mask = {true, false, false, true, true, false, true};
            boolean[] none = new boolean[nTok];
            for (Lora lora : List.of(Lora.of(t1), Lora.of(t1, t2), new Lora(List.of(t1, t2), mask),
                    new Lora(List.of(t2), none), new Lora(List.of(), null))) {
                Tensor got = d.poisoned(nOut, nTok), want = d.poisoned(nOut, nTok);
                java.matmul(w, x, got, lora);
                ref.matmul(w, x, want, lora);
                assertClose("lora " + weightType + " terms=" + lora.terms().size(), got, want, BOUND);
            }
            Tensor got = d.poisoned(nOut, nTok), want = d.poisoned(nOut, nTok);
            java.matmul(w, x, got);
            ref.matmul(w, x, want);
            assertClose("plain " + weightType, got, want, BOUND);
        }
    }

    /** Quantized adapters take the matmul-kernel path, whose 8-bit activations bound the error (~1e-5). */
    @Test
    void quantizedAdaptersGoThroughTheMatmulKernels() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 97);
            long nIn = 96, nOut = 45;
            int nTok = 5;
            Tensor w = d.f32(1f, nIn, nOut), x = d.f32(1f, nIn, nTok);
            LoraTerm q8 = new LoraTerm(d.of(GgmlType.Q8_0, 0.5f, nIn, 32), d.of(GgmlType.Q8_0, 0.5f, 32, nOut), 0.5f);
            LoraTerm f32 = new LoraTerm(d.f32(0.5f, nIn, 4), d.f32(0.5f, 4, nOut), 1f);
            for (Lora lora : List.of(Lora.of(q8), new Lora(List.of(f32, q8), new boolean[] {false, true, true, false, true}))) {
                Tensor got = d.poisoned(nOut, nTok), want = d.poisoned(nOut, nTok);
                java.matmul(w, x, got, lora);
                ref.matmul(w, x, want, lora);
                assertClose("quantized lora", got, want, 1e-4);
            }
        }
    }

    @Test
    void maskedTokensGetExactlyThePlainMatmul() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 93);
            long nIn = 64, nOut = 33;
            Tensor w = d.f32(1f, nIn, nOut), x = d.f32(1f, nIn, 3);
            LoraTerm t = new LoraTerm(d.f32(1f, nIn, 4), d.f32(1f, 4, nOut), 2f);
            Tensor plain = d.poisoned(nOut, 3), masked = d.poisoned(nOut, 3);
            java.matmul(w, x, plain);
            java.matmul(w, x, masked, new Lora(List.of(t), new boolean[] {false, true, false}));
            for (int tok : new int[] {0, 2}) {
                for (int o = 0; o < nOut; o++) {
                    long i = tok * nOut + o;
                    if (Float.compare(plain.getFloat(i), masked.getFloat(i)) != 0) {
                        throw new AssertionError("token " + tok + " is masked out but changed at output " + o);
                    }
                }
            }
        }
    }

    @Test
    void rejectsMismatchedAdapters() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 95);
            Tensor w = d.f32(1f, 32, 16), x = d.f32(1f, 32, 2), y = d.poisoned(16, 2);
            LoraTerm wrongIn = new LoraTerm(d.f32(1f, 31, 4), d.f32(1f, 4, 16), 1f);
            LoraTerm wrongOut = new LoraTerm(d.f32(1f, 32, 4), d.f32(1f, 4, 15), 1f);
            assertThrows(IllegalArgumentException.class, () -> java.matmul(w, x, y, Lora.of(wrongIn)));
            assertThrows(IllegalArgumentException.class, () -> java.matmul(w, x, y, Lora.of(wrongOut)));
            LoraTerm ok = new LoraTerm(d.f32(1f, 32, 4), d.f32(1f, 4, 16), 1f);
            assertThrows(IllegalArgumentException.class, () -> java.matmul(w, x, y, new Lora(List.of(ok), new boolean[3])));
            assertThrows(IllegalArgumentException.class, () -> java.matmul(w, d.f32(1f, 31, 2), y));
        }
    }
}
