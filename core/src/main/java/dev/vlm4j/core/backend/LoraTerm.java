package dev.vlm4j.core.backend;

import dev.vlm4j.core.tensor.Tensor;

/**
 * One low-rank update {@code ΔY = scale · (X·Aᵀ)·Bᵀ} for a weight {@code W} with
 * {@code ne = [n_in, n_out]}: {@code a} has {@code ne = [n_in, r]}, {@code b} has
 * {@code ne = [r, n_out]} (llama.cpp's {@code lora_a} / {@code lora_b} layout), and
 * {@code scale} is the effective scale (user scale × alpha / r).
 */
public record LoraTerm(Tensor a, Tensor b, float scale) {
    public LoraTerm {
        if (a.ne(1) != b.ne(0)) {
            throw new IllegalArgumentException("LoRA rank mismatch: A " + a + " vs B " + b);
        }
    }

    public long rank() {
        return a.ne(1);
    }
}
