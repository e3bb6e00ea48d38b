package dev.vlm4j.core.backend;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;

/**
 * The kernels a model needs. Every op writes into a caller-given output tensor (every element of
 * it); activations are F32 unless stated. Shapes are ggml order ({@code ne[0]} contiguous), so
 * "{@code [n_embd, n_tokens]}" is n_tokens rows of n_embd floats. Elementwise ops allow
 * {@code out == x} (in place).
 *
 * <p>A backend must tell the truth in {@link #supports}: callers route unsupported ops to the next
 * backend (see {@link FallbackBackend}). Implementations are thread-safe for calls on distinct
 * outputs; each backend owns its thread pool and releases it in {@link #close()}.
 */
public interface Backend extends AutoCloseable {

    /** Short name: {@code java}, {@code native}, {@code cuda}, {@code reference}. */
    String name();

    /**
     * Whether {@code op} is implemented for these types. For MATMUL / MATMUL_LORA / GET_ROWS the
     * type is the weight (table) type; for ATTENTION and COPY it is the K/V (destination) type;
     * other ops are F32 and are asked with no types or F32.
     */
    boolean supports(Op op, GgmlType... types);

    /**
     * {@code y = x · wᵀ}: w {@code [n_in, n_out]} of any supported type (a row per output),
     * x {@code [n_in, n_tokens]}, y {@code [n_out, n_tokens]}.
     */
    void matmul(Tensor w, Tensor x, Tensor y);

    /** {@link #matmul} plus the fused low-rank updates of {@code lora}: {@code y += Σ s·(x·Aᵀ)·Bᵀ}. */
    void matmul(Tensor w, Tensor x, Tensor y, Lora lora);

    /**
     * Scaled dot-product attention with grouped KV heads.
     * q {@code [head_dim, n_head, n_q]}; k and v {@code [head_dim, n_head_kv, n_kv]} (F32 or F16;
     * n_head a multiple of n_head_kv; query head h reads KV head {@code h / (n_head / n_head_kv)});
     * out {@code [head_dim, n_head, n_q]}.
     */
    void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams params);

    /** Per row: {@code out = x / sqrt(mean(x²) + eps) ⊙ weight}; weight {@code [n]} or null. */
    void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out);

    /** Per row: {@code out = (x − mean) / sqrt(var + eps) ⊙ weight + bias}; weight, bias {@code [n]} or null. */
    void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out);

    /**
     * Rotary position embedding. x {@code [head_dim, n_head, n_tokens]}; {@code positions[t]} is
     * the position of token t; out has x's shape (may be x).
     */
    void rope(Tensor x, int[] positions, RopeParams params, Tensor out);

    /** Per row: {@code out = softmax(scale · x)}. */
    void softmax(Tensor x, float scale, Tensor out);

    /** GELU, tanh approximation (ggml's {@code gelu}). */
    void gelu(Tensor x, Tensor out);

    /** {@code x · sigmoid(1.702 x)} (CLIP's quick-GELU). */
    void quickGelu(Tensor x, Tensor out);

    /** {@code x · sigmoid(x)}. */
    void silu(Tensor x, Tensor out);

    /** {@code out = silu(gate) ⊙ up}, the LLaMA FFN activation. */
    void swiglu(Tensor gate, Tensor up, Tensor out);

    /** {@code out = a + b}; b has a's shape or is one row {@code [ne0]} broadcast over a's rows. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a ⊙ b}; b has a's shape or is one row {@code [ne0]} broadcast over a's rows. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = s · x}. */
    void scale(Tensor x, float s, Tensor out);

    /**
     * Gathers rows: table {@code [n, n_rows]} of any supported type, out {@code [n, ids.length]}
     * F32 with {@code out[:, i] = table[:, ids[i]]}. Ids out of range throw.
     */
    void getRows(Tensor table, int[] ids, Tensor out);

    /** Copies {@code src} (F32) into {@code dst} of the same element count, converting to dst's type (F32, F16). */
    void copy(Tensor src, Tensor dst);

    /**
     * Non-overlapping convolution (ViT patch embedding). image {@code [width, height, 3]} (planar
     * RGB, already normalized); kernel {@code [p, p, 3, n_embd]} (F32 or F16); bias {@code [n_embd]}
     * or null; out {@code [n_embd, (width/p)·(height/p)]}, patches in row-major order
     * ({@code y · (width/p) + x}).
     */
    void patchEmbed(Tensor image, Tensor kernel, Tensor bias, Tensor out);

    /** Releases threads and native or device memory. Idempotent. */
    @Override
    void close();
}
