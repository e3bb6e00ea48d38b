package dev.vlm4j.models.clip;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.function.UnaryOperator;

/**
 * Maps ViT features {@code [n_embd, n_patches]} to LLM input embeddings {@code [n_embd_llm, n_tokens]}.
 * <ul>
 *   <li>{@code mlp} (LLaVA-1.5): {@code mm.0 → GELU → mm.2}, one token per patch;</li>
 *   <li>{@code mlp_norm}: {@code mm.0 → LayerNorm mm.1 → GELU → mm.3 → LayerNorm mm.4};</li>
 *   <li>{@code ldpv2} (MobileVLM V2): {@code mm.model.mlp.0 → GELU → mm.model.mlp.2 →} 2×2 average pool
 *       over the patch grid → depthwise 3×3 conv {@code mm.model.peg.0} (padding 1, bias) added to its
 *       input; a quarter of the patches come out.</li>
 * </ul>
 */
sealed interface Projector permits Projector.Mlp, Projector.MlpNorm, Projector.Ldpv2 {

    int outputTokens();

    int outputWidth();

    void apply(Backend be, Tensor features, Tensor out);

    static Projector load(GgufFile f, ClipConfig c, UnaryOperator<Tensor> toF32) {
        return switch (c.projector()) {
            case "mlp" -> new Mlp(f.tensor("mm.0.weight"), toF32.apply(f.tensor("mm.0.bias")),
                    f.tensor("mm.2.weight"), toF32.apply(f.tensor("mm.2.bias")), c.nPatches());
            case "mlp_norm" -> new MlpNorm(f.tensor("mm.0.weight"), toF32.apply(f.tensor("mm.0.bias")),
                    toF32.apply(f.tensor("mm.1.weight")), toF32.apply(f.tensor("mm.1.bias")),
                    f.tensor("mm.3.weight"), toF32.apply(f.tensor("mm.3.bias")),
                    toF32.apply(f.tensor("mm.4.weight")), toF32.apply(f.tensor("mm.4.bias")), c.nPatches(), c.eps());
            case "ldpv2" -> {
                if (c.gridSide() % 2 != 0) throw new IllegalArgumentException(f.path() + ": ldpv2 needs an even patch grid, got " + c.gridSide());
                yield new Ldpv2(f.tensor("mm.model.mlp.0.weight"), toF32.apply(f.tensor("mm.model.mlp.0.bias")),
                        f.tensor("mm.model.mlp.2.weight"), toF32.apply(f.tensor("mm.model.mlp.2.bias")),
                        toF32.apply(f.tensor("mm.model.peg.0.weight")), toF32.apply(f.tensor("mm.model.peg.0.bias")), c.gridSide());
            }
            default -> throw new IllegalArgumentException(f.path() + ": unsupported projector type " + c.projector());
        };
    }

    record Mlp(Tensor w0, Tensor b0, Tensor w2, Tensor b2, int outputTokens) implements Projector {
        public int outputWidth() { return (int) w2.ne(1); }

        public void apply(Backend be, Tensor x, Tensor out) {
            try (Arena a = Arena.ofShared()) {
                Tensor h = Tensor.f32(a, w0.ne(1), x.ne(1));
                ClipVisionEncoder.linear(be, w0, b0, x, h);
                be.gelu(h, h);
                ClipVisionEncoder.linear(be, w2, b2, h, out);
            }
        }
    }

    record MlpNorm(Tensor w0, Tensor b0, Tensor n1W, Tensor n1B, Tensor w3, Tensor b3, Tensor n4W, Tensor n4B,
                   int outputTokens, float eps) implements Projector {
        public int outputWidth() { return (int) w3.ne(1); }

        public void apply(Backend be, Tensor x, Tensor out) {
            try (Arena a = Arena.ofShared()) {
                Tensor h = Tensor.f32(a, w0.ne(1), x.ne(1));
                ClipVisionEncoder.linear(be, w0, b0, x, h);
                be.layerNorm(h, n1W, n1B, eps, h);
                be.gelu(h, h);
                ClipVisionEncoder.linear(be, w3, b3, h, out);
                be.layerNorm(out, n4W, n4B, eps, out);
            }
        }
    }

    /** peg {@code [3, 3, 1, C]} (ggml order: kx, ky, -, channel) and its bias {@code [C]}, both F32. */
    record Ldpv2(Tensor w0, Tensor b0, Tensor w2, Tensor b2, Tensor peg, Tensor pegBias, int grid) implements Projector {
        public int outputTokens() { return (grid / 2) * (grid / 2); }

        public int outputWidth() { return (int) w2.ne(1); }

        public void apply(Backend be, Tensor x, Tensor out) {
            int c = outputWidth(), g = grid / 2;
            try (Arena a = Arena.ofShared()) {
                Tensor h = Tensor.f32(a, w0.ne(1), x.ne(1));
                Tensor m = Tensor.f32(a, c, x.ne(1));
                ClipVisionEncoder.linear(be, w0, b0, x, h);
                be.gelu(h, h);
                ClipVisionEncoder.linear(be, w2, b2, h, m);   // [C, grid²], patch index y·grid + x
                float[] src = m.toFloatArray();
                float[] pooled = new float[c * g * g];        // [C, g²]
                for (int y = 0; y < g; y++) {
                    for (int xx = 0; xx < g; xx++) {
                        int o = (y * g + xx) * c;
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                int s = ((2 * y + dy) * grid + 2 * xx + dx) * c;
                                for (int ch = 0; ch < c; ch++) pooled[o + ch] += src[s + ch];
                            }
                        }
                        for (int ch = 0; ch < c; ch++) pooled[o + ch] *= 0.25f;
                    }
                }
                float[] k = peg.toFloatArray();                // element (kx, ky, ch) at ch·9 + ky·3 + kx
                float[] bias = pegBias.toFloatArray();
                for (int y = 0; y < g; y++) {
                    for (int xx = 0; xx < g; xx++) {
                        int o = (y * g + xx) * c;
                        for (int ch = 0; ch < c; ch++) {
                            double acc = bias[ch] + pooled[o + ch];   // conv + residual
                            for (int ky = 0; ky < 3; ky++) {
                                int sy = y + ky - 1;
                                if (sy < 0 || sy >= g) continue;
                                for (int kx = 0; kx < 3; kx++) {
                                    int sx = xx + kx - 1;
                                    if (sx < 0 || sx >= g) continue;
                                    acc += (double) k[ch * 9 + ky * 3 + kx] * pooled[(sy * g + sx) * c + ch];
                                }
                            }
                            out.setFloat((long) o + ch, (float) acc);
                        }
                    }
                }
            }
        }
    }
}
