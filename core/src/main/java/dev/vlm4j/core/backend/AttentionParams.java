package dev.vlm4j.core.backend;

/**
 * Attention settings.
 *
 * @param scale     multiplies q·k before the softmax (usually 1/sqrt(head_dim))
 * @param causal    when true, query i (at absolute position {@code qPosOffset + i}) sees only
 *                  keys/values with index &le; {@code qPosOffset + i}; when false every query
 *                  sees every key (the ViT)
 * @param qPosOffset index in the KV sequence of the first query (the number of tokens cached
 *                  before this batch); ignored when not causal
 */
public record AttentionParams(float scale, boolean causal, int qPosOffset) {
    public AttentionParams {
        if (qPosOffset < 0) throw new IllegalArgumentException("qPosOffset must be >= 0, got " + qPosOffset);
    }

    public static AttentionParams causal(float scale, int qPosOffset) {
        return new AttentionParams(scale, true, qPosOffset);
    }

    public static AttentionParams full(float scale) {
        return new AttentionParams(scale, false, 0);
    }
}
