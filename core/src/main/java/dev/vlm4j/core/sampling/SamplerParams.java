package dev.vlm4j.core.sampling;

/**
 * Sampling settings, applied in llama.cpp's default order: penalties over the last
 * {@code penaltyLastN} tokens → top-k → top-p → min-p → temperature → draw. A temperature ≤ 0
 * means greedy (argmax after penalties).
 *
 * @param temperature      softmax temperature; ≤ 0 for greedy
 * @param topK             keep the k most likely tokens (≤ 0: all)
 * @param topP             keep the smallest set whose probability reaches p (≥ 1: all)
 * @param minP             drop tokens below minP · p(max) (≤ 0: none)
 * @param repeatPenalty    divide positive / multiply negative logits of recent tokens (1: off)
 * @param frequencyPenalty subtract count · f from recent tokens' logits (0: off)
 * @param presencePenalty  subtract p from logits of tokens seen recently (0: off)
 * @param penaltyLastN     how many recent tokens the penalties look at
 * @param seed             RNG seed; the same seed and inputs give the same tokens
 */
public record SamplerParams(float temperature, int topK, float topP, float minP, float repeatPenalty,
                            float frequencyPenalty, float presencePenalty, int penaltyLastN, long seed) {

    public SamplerParams {
        if (Float.isNaN(temperature)) throw new IllegalArgumentException("temperature is NaN");
        if (topP <= 0 || Float.isNaN(topP)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        if (minP < 0 || minP > 1) throw new IllegalArgumentException("min-p must be in [0, 1], got " + minP);
        if (repeatPenalty <= 0) throw new IllegalArgumentException("repeat penalty must be positive, got " + repeatPenalty);
        if (penaltyLastN < 0) throw new IllegalArgumentException("penalty window must be >= 0, got " + penaltyLastN);
    }

    /** Argmax decoding, no penalties. */
    public static SamplerParams greedy() {
        return new SamplerParams(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, 0);
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05. */
    public static SamplerParams defaults(long seed) {
        return new SamplerParams(0.8f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, seed);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    public SamplerParams withTemperature(float t) {
        return new SamplerParams(t, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplerParams withTopK(int k) {
        return new SamplerParams(temperature, k, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplerParams withTopP(float p) {
        return new SamplerParams(temperature, topK, p, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplerParams withMinP(float p) {
        return new SamplerParams(temperature, topK, topP, p, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, seed);
    }

    public SamplerParams withSeed(long s) {
        return new SamplerParams(temperature, topK, topP, minP, repeatPenalty, frequencyPenalty, presencePenalty, penaltyLastN, s);
    }

    public SamplerParams withPenalties(float repeat, float frequency, float presence, int lastN) {
        return new SamplerParams(temperature, topK, topP, minP, repeat, frequency, presence, lastN, seed);
    }
}
