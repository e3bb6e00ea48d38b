package dev.vlm4j.models;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.kv.ContextFullException;
import dev.vlm4j.core.kv.KvCache;
import dev.vlm4j.core.sampling.Sampler;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.core.tokenizer.StreamingDecoder;
import dev.vlm4j.core.tokenizer.Tokenizer;
import dev.vlm4j.models.llama.Llama;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * One conversation with a loaded {@link Vlm}: its KV cache, the tokens that fill it (so the next
 * turn re-evaluates only what differs from the longest common prefix), and its sampler. Not
 * thread-safe; use one session per thread. Closing releases the cache.
 */
public final class Session implements AutoCloseable {
    private final Vlm model;
    private final SessionOptions options;
    private final KvCache cache;
    private int[] history = new int[64];   // token ids whose keys/values are in the cache, in order

    Session(Vlm model, SessionOptions options) {
        this.model = model;
        this.options = options;
        int ctx = options.contextSize() > 0 ? options.contextSize() : Math.min(model.llama().config().nCtxTrain(), 4096);
        this.cache = model.llama().newCache(ctx, options.kvType());
    }

    public int contextSize() { return cache.capacity(); }

    /** Positions currently in the KV cache. */
    public int position() { return cache.size(); }

    /** Tokenizes {@code prompt} and generates from it (see {@link #generate(int[], GenerationParams, TokenListener)}). */
    public GenerationResult generate(String prompt, GenerationParams params, TokenListener listener) {
        Tokenizer tok = model.tokenizer();
        return generate(tok.encode(prompt, params.addBos(), params.parseSpecial()), params, listener);
    }

    /**
     * Evaluates {@code prompt} (reusing the cached prefix it shares with this session's history),
     * then samples up to {@code maxTokens} tokens, streaming each to {@code listener}; stops at
     * end-of-generation tokens, stop strings, cancellation or a full context.
     */
    public GenerationResult generate(int[] prompt, GenerationParams params, TokenListener listener) {
        if (prompt.length == 0) throw new IllegalArgumentException("empty prompt: nothing to continue from");
        Tokenizer tok = model.tokenizer();
        long t0 = System.nanoTime();
        int reused = reusePrefix(prompt);
        float[] logits = evaluate(Arrays.copyOfRange(prompt, reused, prompt.length));
        long t1 = System.nanoTime();

        Sampler sampler = new Sampler(params.sampler());
        StreamingDecoder decoder = new StreamingDecoder(tok);
        StringBuilder text = new StringBuilder();
        int[] out = new int[Math.max(params.maxTokens(), 1)];
        int n = 0;
        GenerationResult.StopReason reason = GenerationResult.StopReason.MAX_TOKENS;
        while (n < params.maxTokens()) {
            int id = sampler.sample(logits, history, cache.size());
            if (tok.isEog(id)) {
                reason = GenerationResult.StopReason.EOS;
                break;
            }
            out[n++] = id;
            String piece = decoder.accept(id);
            text.append(piece);
            String stop = matchedStop(text, params);
            if (stop != null) {
                text.setLength(text.length() - stop.length());
                reason = GenerationResult.StopReason.STOP_STRING;
                break;
            }
            if (!listener.onToken(id, piece)) {
                reason = GenerationResult.StopReason.CANCELLED;
                break;
            }
            if (n == params.maxTokens()) break;
            if (cache.remaining() < 1) {
                reason = GenerationResult.StopReason.CONTEXT_FULL;
                break;
            }
            logits = evaluate(new int[] {id});
        }
        long t2 = System.nanoTime();
        return new GenerationResult(text.toString(), Arrays.copyOf(out, n), prompt.length - reused, reused, t1 - t0, t2 - t1, reason);
    }

    /**
     * Runs {@code tokens} after what is cached and returns the logits of the last one ({@code [n_vocab]}).
     * Throws {@link ContextFullException} if they do not fit.
     */
    public float[] evaluate(int[] tokens) {
        return evaluate(tokens, false)[0];
    }

    /**
     * Runs {@code tokens} after what is cached; returns logits for every token ({@code all}) or just
     * the last one, each {@code [n_vocab]}. Prefill runs in batches of {@code batchSize}.
     */
    public float[][] evaluate(int[] tokens, boolean all) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens to evaluate");
        if (tokens.length > cache.remaining()) throw new ContextFullException(cache.size(), tokens.length, cache.capacity());
        Llama llama = model.llama();
        Backend be = model.backend();
        int nVocab = llama.config().nVocab();
        float[][] result = new float[all ? tokens.length : 1][];
        for (int start = 0; start < tokens.length; start += options.batchSize()) {
            int[] batch = Arrays.copyOfRange(tokens, start, Math.min(tokens.length, start + options.batchSize()));
            boolean lastBatch = start + batch.length == tokens.length;
            int nLogits = all ? batch.length : (lastBatch ? 1 : 0);
            try (Arena arena = Arena.ofConfined()) {
                Tensor x = Tensor.f32(arena, llama.config().nEmbd(), batch.length);
                llama.embed(be, batch, x);
                Tensor logits = nLogits == 0 ? null : Tensor.f32(arena, nVocab, nLogits);
                llama.forward(be, cache, x, logits, options.adapters(), null);
                appendHistory(batch);
                for (int i = 0; i < nLogits; i++) {
                    float[] row = new float[nVocab];
                    java.lang.foreign.MemorySegment.copy(logits.data(), java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED,
                            (long) i * nVocab * 4, row, 0, nVocab);
                    result[all ? start + i : 0] = row;
                }
            }
        }
        return result;
    }

    /** Forgets everything cached: the next prompt is evaluated from scratch. */
    public void reset() {
        cache.truncate(0);
    }

    /** Keeps the longest cached prefix shared with {@code prompt} (at least one prompt token is always re-run for its logits). */
    private int reusePrefix(int[] prompt) {
        int n = 0;
        int limit = Math.min(cache.size(), prompt.length - 1);
        while (n < limit && history[n] == prompt[n]) n++;
        cache.truncate(n);
        return n;
    }

    private void appendHistory(int[] tokens) {
        int start = cache.size() - tokens.length;
        if (history.length < cache.size()) history = Arrays.copyOf(history, Math.max(cache.size(), history.length * 2));
        System.arraycopy(tokens, 0, history, start, tokens.length);
    }

    private static String matchedStop(CharSequence text, GenerationParams params) {
        for (String s : params.stopStrings()) {
            if (!s.isEmpty() && text.length() >= s.length() && text.subSequence(text.length() - s.length(), text.length()).toString().equals(s)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() {
        cache.close();
    }
}
