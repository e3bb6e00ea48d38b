package dev.vlm4j.models;

/**
 * The outcome of one {@link Session#generate} call.
 *
 * @param text            generated text (stop string excluded)
 * @param tokens          generated token ids
 * @param promptTokens    prompt tokens evaluated (after prefix reuse)
 * @param reusedTokens    prompt tokens whose KV entries were reused from the previous turn
 * @param promptNanos     time spent evaluating the prompt
 * @param generationNanos time spent generating
 * @param stopReason      why generation ended
 */
public record GenerationResult(String text, int[] tokens, int promptTokens, int reusedTokens, long promptNanos,
                               long generationNanos, StopReason stopReason) {
    public enum StopReason { EOS, STOP_STRING, MAX_TOKENS, CANCELLED, CONTEXT_FULL }

    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : promptTokens * 1e9 / promptNanos;
    }

    public double generationTokensPerSecond() {
        return generationNanos == 0 ? 0 : tokens.length * 1e9 / generationNanos;
    }
}
