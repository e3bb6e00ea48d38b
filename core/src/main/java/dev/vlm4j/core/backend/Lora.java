package dev.vlm4j.core.backend;

import java.util.List;

/**
 * The LoRA updates fused into one matmul: any number of terms, applied to every token, or only to
 * tokens whose entry in {@code tokenMask} is true (Partial LoRA applies adapters to image tokens only).
 *
 * @param terms     the updates, summed
 * @param tokenMask null for all tokens, else one flag per token of the matmul's batch
 */
public record Lora(List<LoraTerm> terms, boolean[] tokenMask) {
    public Lora {
        terms = List.copyOf(terms);
    }

    public static Lora of(LoraTerm... terms) {
        return new Lora(List.of(terms), null);
    }

    public boolean appliesTo(int token) {
        return tokenMask == null || tokenMask[token];
    }
}
