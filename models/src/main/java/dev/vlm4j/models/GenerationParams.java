package dev.vlm4j.models;

import dev.vlm4j.core.sampling.SamplerParams;
import java.util.List;

/**
 * What {@link Session#generate} does with a prompt.
 *
 * @param maxTokens    upper bound on generated tokens
 * @param sampler      sampling settings (greedy by default)
 * @param stopStrings  generation ends when the text ends with one of these (the stop string is not emitted)
 * @param addBos       prepend BOS (when the vocabulary wants one) to the prompt
 * @param parseSpecial recognise special-token texts such as {@code <|im_start|>} in the prompt
 */
public record GenerationParams(int maxTokens, SamplerParams sampler, List<String> stopStrings, boolean addBos, boolean parseSpecial) {
    public GenerationParams {
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
        stopStrings = List.copyOf(stopStrings);
    }

    public static GenerationParams greedy(int maxTokens) {
        return new GenerationParams(maxTokens, SamplerParams.greedy(), List.of(), true, false);
    }

    public GenerationParams withSampler(SamplerParams s) {
        return new GenerationParams(maxTokens, s, stopStrings, addBos, parseSpecial);
    }

    public GenerationParams withStopStrings(List<String> stops) {
        return new GenerationParams(maxTokens, sampler, stops, addBos, parseSpecial);
    }

    public GenerationParams withParseSpecial(boolean p) {
        return new GenerationParams(maxTokens, sampler, stopStrings, addBos, p);
    }

    public GenerationParams withAddBos(boolean b) {
        return new GenerationParams(maxTokens, sampler, stopStrings, b, parseSpecial);
    }
}
