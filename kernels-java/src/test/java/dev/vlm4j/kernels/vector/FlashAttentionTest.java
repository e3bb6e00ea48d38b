package dev.vlm4j.kernels.vector;

import static dev.vlm4j.kernels.vector.TestData.assertClose;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.ReferenceBackend;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fused attention against the float64 reference: GQA ratios 1/2/4/8, F32 and F16 K/V, causal
 * prefill with and without a cached prefix, decode (one query, KV split across threads, merged),
 * full (ViT) attention, odd head dims, NaN-poisoned outputs.
 */
class FlashAttentionTest {
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

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (GgmlType kv : new GgmlType[] {GgmlType.F32, GgmlType.F16}) {
            for (int group : new int[] {1, 2, 4, 8}) {
                // headDim, nHeadKv, nQ, nKv, causal, offset
                list.add(Arguments.of(kv, group, 64, 2, 37, 37, true, 0));      // prefill, no cache
                list.add(Arguments.of(kv, group, 40, 1, 9, 150, true, 141));    // prefill after a cached prefix
                list.add(Arguments.of(kv, group, 128, 2, 1, 300, true, 299));   // decode, KV split and merged
                list.add(Arguments.of(kv, group, 24, 1, 1, 1, true, 0));        // first token sees only itself
            }
            list.add(Arguments.of(kv, 1, 72, 3, 50, 50, false, 0));            // ViT: full attention
            list.add(Arguments.of(kv, 2, 13, 2, 3, 97, false, 0));             // odd head dim, n_q != n_kv
            list.add(Arguments.of(kv, 4, 8, 1, 1, 1000, true, 999));           // head dim below one vector
            list.add(Arguments.of(kv, 1, 64, 1, 2, 70, true, 40));             // causal, cache longer than needed
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} group={1} D={2} Hkv={3} nQ={4} nKv={5} causal={6} off={7}")
    @MethodSource("cases")
    void matchesReference(GgmlType kvType, int group, int headDim, int nHeadKv, int nQ, int nKv, boolean causal, int offset) {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 1000L * group + 7L * headDim + nKv);
            int nHead = group * nHeadKv;
            Tensor q = d.f32(1f, headDim, nHead, nQ);
            Tensor k = d.of(kvType, 1f, headDim, nHeadKv, nKv);
            Tensor v = d.of(kvType, 2f, headDim, nHeadKv, nKv);
            float scale = (float) (1 / Math.sqrt(headDim)) * 3f; // sharpened: the running max matters
            AttentionParams p = causal ? AttentionParams.causal(scale, offset) : AttentionParams.full(scale);
            Tensor got = d.poisoned(headDim, nHead, nQ), want = d.poisoned(headDim, nHead, nQ);
            java.attention(q, k, v, got, p);
            ref.attention(q, k, v, want, p);
            assertClose("attention", got, want, BOUND);
        }
    }

    @Test
    void largeScoresDoNotOverflow() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 5);
            Tensor q = d.f32(30f, 32, 4, 5), k = d.f32(30f, 32, 2, 200), v = d.f32(1f, 32, 2, 200);
            AttentionParams p = AttentionParams.causal(1f, 195);
            Tensor got = d.poisoned(32, 4, 5), want = d.poisoned(32, 4, 5);
            java.attention(q, k, v, got, p);
            ref.attention(q, k, v, want, p);
            assertClose("attention with scores in the thousands", got, want, 1e-9);
        }
    }

    @Test
    void rejectsBadShapes() {
        try (Arena arena = Arena.ofShared()) {
            TestData d = new TestData(arena, 6);
            Tensor q = d.f32(1f, 16, 6, 2), out = d.poisoned(16, 6, 2);
            Tensor k4 = d.f32(1f, 16, 4, 10);
            assertThrows(IllegalArgumentException.class, () -> java.attention(q, k4, k4, out, AttentionParams.full(1f)),
                    "6 heads over 4 KV heads");
            Tensor k3 = d.f32(1f, 16, 3, 10);
            assertThrows(IllegalArgumentException.class, () -> java.attention(q, k3, k3, out, AttentionParams.causal(1f, 9)),
                    "queries past the end of the cache");
            Tensor k16 = d.f16(1f, 16, 3, 10);
            assertThrows(UnsupportedOperationException.class, () -> java.attention(q, k3, k16, out, AttentionParams.full(1f)),
                    "mixed K/V types");
        }
    }
}
