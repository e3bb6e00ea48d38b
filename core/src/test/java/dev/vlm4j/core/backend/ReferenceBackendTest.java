package dev.vlm4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference backend against small cases worked out independently: by hand where the
 * arithmetic is short, otherwise with python3 + numpy in float64 (the expressions of
 * ../shared/reference/np_llama.py and np_clip.py), printed with 9 significant digits.
 */
class ReferenceBackendTest {
    private final ReferenceBackend ref = new ReferenceBackend();
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        ref.close();
        arena.close();
    }

    private Tensor f32(float[] v, long... ne) {
        return Tensor.f32(arena, v, ne);
    }

    private static void assertFloats(float[] expected, Tensor actual) {
        float[] got = actual.toFloatArray();
        assertEquals(expected.length, got.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 2e-7 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    @Test
    void matmul2x3() {
        // w rows (n_out = 2): [1, 2, 3], [-1, 0.5, 2]; x tokens: [1, 0, -1], [0.5, 2, 4].
        // By hand: token 0 -> [1-3, -1-2] = [-2, -3]; token 1 -> [0.5+4+12, -0.5+1+8] = [16.5, 8.5].
        Tensor w = f32(new float[] {1, 2, 3, -1, 0.5f, 2}, 3, 2);
        Tensor x = f32(new float[] {1, 0, -1, 0.5f, 2, 4}, 3, 2);
        Tensor y = Tensor.f32(arena, 2, 2);
        ref.matmul(w, x, y);
        assertFloats(new float[] {-2, -3, 16.5f, 8.5f}, y);
    }

    @Test
    void matmulF16WeightsDecodeLikeF32() {
        // The same product with the weights stored as f16 (all exactly representable).
        Tensor w = Tensor.allocate(arena, GgmlType.F16, 3, 2);
        float[] wv = {1, 2, 3, -1, 0.5f, 2};
        for (int i = 0; i < wv.length; i++) w.setFloat(i, wv[i]);
        Tensor x = f32(new float[] {1, 0, -1, 0.5f, 2, 4}, 3, 2);
        Tensor y = Tensor.f32(arena, 2, 2);
        ref.matmul(w, x, y);
        assertFloats(new float[] {-2, -3, 16.5f, 8.5f}, y);
    }

    @Test
    void loraAppliesOnlyToMaskedTokens() {
        // w = [1, 1] (n_in 2, n_out 1); A = [1, 0] (rank 1), B = [2], scale 0.5: ΔY = 0.5·x0·2 = x0.
        // By hand: token [1, 2] (mask on) -> 3 + 1 = 4; token [3, 4] (mask off) -> 7.
        Tensor w = f32(new float[] {1, 1}, 2, 1);
        Tensor x = f32(new float[] {1, 2, 3, 4}, 2, 2);
        LoraTerm term = new LoraTerm(f32(new float[] {1, 0}, 2, 1), f32(new float[] {2}, 1, 1), 0.5f);
        Tensor y = Tensor.f32(arena, 1, 2);
        ref.matmul(w, x, y, new Lora(List.of(term), new boolean[] {true, false}));
        assertFloats(new float[] {4, 7}, y);
        // Two terms, no mask: the second adds 3·x1·1 -> token 0: 3 + 1 + 6 = 10, token 1: 7 + 3 + 12 = 22.
        LoraTerm second = new LoraTerm(f32(new float[] {0, 1}, 2, 1), f32(new float[] {1}, 1, 1), 3f);
        ref.matmul(w, x, y, Lora.of(term, second));
        assertFloats(new float[] {10, 22}, y);
    }

    @Test
    void rmsNorm() {
        // numpy: x / sqrt(mean(x²) + 1e-6) * w with x = [1, 2, 3, 4], w = [1, 1, 2, 0.5]
        Tensor x = f32(new float[] {1, 2, 3, 4}, 4);
        Tensor out = Tensor.f32(arena, 4);
        ref.rmsNorm(x, f32(new float[] {1, 1, 2, 0.5f}, 4), 1e-6f, out);
        assertFloats(new float[] {0.365148336f, 0.730296671f, 2.19089007f, 0.730296671f}, out);
    }

    @Test
    void layerNorm() {
        // numpy: (x − 2.5) / sqrt(1.25 + 1e-5) * w + b with x = [1, 2, 3, 4], w = [1, 1, 2, 0.5], b = [0.5, −0.5, 0, 1]
        Tensor x = f32(new float[] {1, 2, 3, 4}, 4);
        Tensor out = Tensor.f32(arena, 4);
        ref.layerNorm(x, f32(new float[] {1, 1, 2, 0.5f}, 4), f32(new float[] {0.5f, -0.5f, 0, 1}, 4), 1e-5f, out);
        assertFloats(new float[] {-0.841635406f, -0.947211802f, 0.894423604f, 1.67081773f}, out);
        ref.layerNorm(x, null, null, 1e-5f, out);
        assertFloats(new float[] {-1.34163547f, -0.447211802f, 0.447211802f, 1.34163547f}, out);
    }

    @Test
    void ropeAtPositionOne() {
        // One 4-dim head at position 1, n_rot 4, base 10000: angles 1 and 10000^(−1/2) = 0.01.
        // numpy (np_llama.rope): NORM rotates (0,1) by 1 and (2,3) by 0.01; NEOX rotates (0,2) by 1 and (1,3) by 0.01.
        Tensor x = f32(new float[] {1, 2, 3, 4}, 4, 1, 1);
        Tensor out = Tensor.f32(arena, 4, 1, 1);
        ref.rope(x, new int[] {1}, new RopeParams(RopeMode.NORM, 4, 10000f, 1f), out);
        assertFloats(new float[] {-1.14263964f, 1.92207563f, 2.95985055f, 4.02979946f}, out);
        ref.rope(x, new int[] {1}, new RopeParams(RopeMode.NEOX, 4, 10000f, 1f), out);
        assertFloats(new float[] {-1.98411059f, 1.95990062f, 2.46237779f, 4.01979971f}, out);
    }

    @Test
    void ropePartialAndScaled() {
        // n_rot 2 of a 4-dim head: dims 2, 3 pass through. freq_scale 0.5 at position 2: angle 1 on (0, 1),
        // so the rotated pair equals the NORM case above: [−1.14263964, 1.92207563].
        Tensor x = f32(new float[] {1, 2, 3, 4}, 4, 1, 1);
        ref.rope(x, new int[] {2}, new RopeParams(RopeMode.NORM, 2, 10000f, 0.5f), x);
        assertFloats(new float[] {-1.14263964f, 1.92207563f, 3, 4}, x);
        // position 0 is the identity
        Tensor y = f32(new float[] {1, 2, 3, 4}, 4, 1, 1);
        ref.rope(y, new int[] {0}, new RopeParams(RopeMode.NEOX, 4, 10000f, 1f), y);
        assertFloats(new float[] {1, 2, 3, 4}, y);
    }

    @Test
    void causalAttentionOfTwoTokens() {
        // head_dim 2, one head, scale 0.5. q = [1, 0], [0.5, −1]; k = [1, 2], [−1, 1]; v = [1, −1], [3, 2].
        // By hand, causal: token 0 sees only v0 -> [1, −1]; token 1 scores q1·k0 = q1·k1 = −1.5, equal
        // weights -> (v0 + v1) / 2 = [2, 0.5].
        // numpy, full: token 0 scores 0.5, −0.5 -> σ(1)·v0 + σ(−1)·v1 = [1.5378828, −0.193175733].
        Tensor q = f32(new float[] {1, 0, 0.5f, -1}, 2, 1, 2);
        Tensor k = f32(new float[] {1, 2, -1, 1}, 2, 1, 2);
        Tensor v = f32(new float[] {1, -1, 3, 2}, 2, 1, 2);
        Tensor out = Tensor.f32(arena, 2, 1, 2);
        ref.attention(q, k, v, out, AttentionParams.causal(0.5f, 0));
        assertFloats(new float[] {1, -1, 2, 0.5f}, out);
        ref.attention(q, k, v, out, AttentionParams.full(0.5f));
        assertFloats(new float[] {1.5378828f, -0.193175733f, 2, 0.5f}, out);
        // with one token already cached, the single query at index 1 sees both keys: same as token 1 above
        ref.attention(q.sliceOuter(1, 1), k, v, out.sliceOuter(0, 1), AttentionParams.causal(0.5f, 1));
        assertFloats(new float[] {2, 0.5f}, out.sliceOuter(0, 1));
    }

    @Test
    void gqaMapsQueryHeadsToTheirKvGroup() {
        // 4 query heads, 2 KV heads, one key: each head's output is the value of its KV head
        // (softmax over one key is 1). Heads 0, 1 read KV head 0 (v = 10); heads 2, 3 read KV head 1 (v = 20).
        Tensor q = f32(new float[] {1, -2, 3, 0.5f}, 1, 4, 1);
        Tensor k = f32(new float[] {0.3f, -0.7f}, 1, 2, 1);
        Tensor v = f32(new float[] {10, 20}, 1, 2, 1);
        Tensor out = Tensor.f32(arena, 1, 4, 1);
        ref.attention(q, k, v, out, AttentionParams.full(1f));
        assertFloats(new float[] {10, 10, 20, 20}, out);
    }

    @Test
    void softmax() {
        // numpy: exp(s·x − max) / Σ for x = [1, 2, 3], s = 1 and s = 2
        Tensor x = f32(new float[] {1, 2, 3, 1, 2, 3}, 3, 2);
        Tensor out = Tensor.f32(arena, 3, 2);
        ref.softmax(x, 1f, out);
        assertFloats(new float[] {0.0900305733f, 0.244728476f, 0.665240943f, 0.0900305733f, 0.244728476f, 0.665240943f}, out);
        ref.softmax(x, 2f, out);
        assertFloats(new float[] {0.0158762392f, 0.117310427f, 0.866813362f, 0.0158762392f, 0.117310427f, 0.866813362f}, out);
    }

    @Test
    void activations() {
        // numpy at x = [−3, −1, 0, 0.5, 1, 2]: gelu (tanh form), x·σ(1.702x), x·σ(x)
        float[] pts = {-3, -1, 0, 0.5f, 1, 2};
        Tensor x = f32(pts, 6);
        Tensor out = Tensor.f32(arena, 6);
        ref.gelu(x, out);
        assertFloats(new float[] {-0.00363739207f, -0.158808008f, 0f, 0.345714003f, 0.841192007f, 1.95459771f}, out);
        ref.quickGelu(x, out);
        assertFloats(new float[] {-0.0180713106f, -0.154204234f, 0f, 0.350388438f, 0.845795751f, 1.93565857f}, out);
        ref.silu(x, out);
        float[] silu = {-0.142277613f, -0.268941432f, 0f, 0.311229676f, 0.731058598f, 1.76159418f};
        assertFloats(silu, out);
        // swiglu with up = 2: twice silu
        ref.swiglu(x, f32(new float[] {2, 2, 2, 2, 2, 2}, 6), out);
        float[] twice = new float[6];
        for (int i = 0; i < 6; i++) twice[i] = 2 * silu[i];
        assertFloats(twice, out);
    }

    @Test
    void addMulScaleWithBroadcast() {
        // By hand: a = [[1, 2], [3, 4]], row b = [10, 20].
        Tensor a = f32(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor row = f32(new float[] {10, 20}, 2);
        Tensor out = Tensor.f32(arena, 2, 2);
        ref.add(a, row, out);
        assertFloats(new float[] {11, 22, 13, 24}, out);
        ref.mul(a, row, out);
        assertFloats(new float[] {10, 40, 30, 80}, out);
        ref.mul(a, a, out);
        assertFloats(new float[] {1, 4, 9, 16}, out);
        ref.scale(a, -0.5f, a);
        assertFloats(new float[] {-0.5f, -1, -1.5f, -2}, a);
    }

    @Test
    void getRowsAndCopy() {
        Tensor table = f32(new float[] {0, 1, 10, 11, 20, 21}, 2, 3);
        Tensor out = Tensor.f32(arena, 2, 3);
        ref.getRows(table, new int[] {2, 0, 2}, out);
        assertFloats(new float[] {20, 21, 0, 1, 20, 21}, out);
        // f16 rounding by hand: 1 + 2^-11 is a tie between 1 and 1 + 2^-10 -> even (1); 65504 is f16's max
        Tensor h = Tensor.allocate(arena, GgmlType.F16, 3);
        ref.copy(f32(new float[] {1 + 0x1p-11f, 65504f, -0.25f}, 3), h);
        assertFloats(new float[] {1, 65504, -0.25f}, h);
    }

    @Test
    void patchEmbedOfFourByFourImage() {
        // Image 4×4×3 planar with value c·16 + y·4 + x; p = 2; kernel e0 picks (kx 1, ky 0, c 2),
        // kernel e1 sums the patch; bias [0.5, −1]. By hand, patch 0: e0 = 32 + 1 + 0.5 = 33.5,
        // e1 = (0+1+4+5) + (64+10) + (128+10) − 1 = 221. Cross-checked with numpy using np_clip's
        // patch order (reshape(n, p, n, p, 3).transpose(0, 2, 4, 1, 3)).
        float[] img = new float[48];
        for (int i = 0; i < 48; i++) img[i] = i;
        float[] ker = new float[2 * 12];
        ker[1 + 2 * (0 + 2 * 2)] = 1; // e0: kx 1, ky 0, c 2
        for (int i = 12; i < 24; i++) ker[i] = 1;
        Tensor out = Tensor.f32(arena, 2, 4);
        ref.patchEmbed(f32(img, 4, 4, 3), f32(ker, 2, 2, 3, 2), f32(new float[] {0.5f, -1}, 2), out);
        assertFloats(new float[] {33.5f, 221, 35.5f, 245, 41.5f, 317, 43.5f, 341}, out);
    }

    @Test
    void getRowsOutOfRangeThrows() {
        Tensor table = Tensor.f32(arena, 2, 3);
        Tensor out = Tensor.f32(arena, 2, 1);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> ref.getRows(table, new int[] {3}, out));
        assertTrue(e.getMessage().contains("id 3") && e.getMessage().contains("3 rows"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> ref.getRows(table, new int[] {-1}, out));
    }

    @Test
    void shapeMismatchesThrow() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ref.matmul(Tensor.f32(arena, 256, 4), Tensor.f32(arena, 300, 2), Tensor.f32(arena, 4, 2)));
        assertEquals("matmul: x.ne[0]=300 but w.ne[0]=256", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ref.matmul(Tensor.f32(arena, 8, 4), Tensor.f32(arena, 8, 2), Tensor.f32(arena, 4, 3)));
        assertTrue(e.getMessage().contains("n_tokens"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.attention(Tensor.f32(arena, 4, 3, 1),
                Tensor.f32(arena, 4, 2, 1), Tensor.f32(arena, 4, 2, 1), Tensor.f32(arena, 4, 3, 1), AttentionParams.full(1f)));
        assertTrue(e.getMessage().contains("not a multiple of n_head_kv"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.attention(Tensor.f32(arena, 4, 1, 3),
                Tensor.f32(arena, 4, 1, 2), Tensor.f32(arena, 4, 1, 2), Tensor.f32(arena, 4, 1, 3), AttentionParams.causal(1f, 0)));
        assertTrue(e.getMessage().contains("needs n_kv >= 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.add(Tensor.f32(arena, 4, 2), Tensor.f32(arena, 3), Tensor.f32(arena, 4, 2)));
        assertTrue(e.getMessage().startsWith("add:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.rope(Tensor.f32(arena, 4, 1, 2), new int[] {0},
                new RopeParams(RopeMode.NORM, 4, 10000f, 1f), Tensor.f32(arena, 4, 1, 2)));
        assertTrue(e.getMessage().contains("1 positions"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.rope(Tensor.f32(arena, 4, 1, 1), new int[] {0},
                new RopeParams(RopeMode.NORM, 6, 10000f, 1f), Tensor.f32(arena, 4, 1, 1)));
        assertTrue(e.getMessage().contains("n_rot=6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.patchEmbed(Tensor.f32(arena, 5, 4, 3),
                Tensor.f32(arena, 2, 2, 3, 1), null, Tensor.f32(arena, 1, 4)));
        assertTrue(e.getMessage().contains("not a multiple of the patch size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ref.rmsNorm(Tensor.allocate(arena, GgmlType.F16, 4), null, 1e-5f,
                Tensor.f32(arena, 4)));
        assertTrue(e.getMessage().contains("must be f32"), e.getMessage());
    }

    @Test
    void supportsTellsTheTruth() {
        assertTrue(ref.supports(Op.MATMUL, GgmlType.F32));
        assertTrue(ref.supports(Op.MATMUL, GgmlType.F16));
        assertTrue(ref.supports(Op.ATTENTION, GgmlType.F16));
        assertTrue(ref.supports(Op.COPY, GgmlType.F16));
        assertTrue(ref.supports(Op.PATCH_EMBED, GgmlType.F16));
        assertTrue(ref.supports(Op.RMS_NORM));
        assertTrue(ref.supports(Op.SOFTMAX, GgmlType.F32));
        assertFalse(ref.supports(Op.ATTENTION, GgmlType.Q8_0));
        assertFalse(ref.supports(Op.COPY, GgmlType.Q4_0));
        assertFalse(ref.supports(Op.RMS_NORM, GgmlType.F16));
        assertEquals(dev.vlm4j.core.ggml.Codecs.canDecode(GgmlType.Q4_K), ref.supports(Op.MATMUL, GgmlType.Q4_K));
    }
}
