package dev.vlm4j.models;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.kv.ContextFullException;
import dev.vlm4j.core.kv.KvCache;
import dev.vlm4j.core.sampling.Sampler;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.core.tokenizer.StreamingDecoder;
import dev.vlm4j.core.tokenizer.Tokenizer;
import dev.vlm4j.models.image.Image;
import dev.vlm4j.models.llama.Llama;
import dev.vlm4j.models.llava.Llava;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One conversation with a loaded {@link Vlm}: its KV cache, the tokens that fill it (so the next
 * turn re-evaluates only what differs from the longest common prefix), and its sampler. Not
 * thread-safe; use one session per thread. Closing releases the cache.
 */
public final class Session implements AutoCloseable {
    /** Marks where an image goes in a prompt. */
    public static final String IMAGE_MARKER = Llava.IMAGE_MARKER;

    private final Vlm model;
    private final SessionOptions options;
    private final KvCache cache;

    private int[] history = new int[64];   // ids (PromptPart.historyId) of the positions in the cache, in order
    private final Map<String, float[]> imageCache = new HashMap<>();   // image embeddings by content hash

    private final Llama.Scratch scratch;
    private final Arena arena = Arena.ofShared();   // input and last-position logits buffers, read by worker threads
    private final Tensor input;                      // [n_embd, batch]
    private final Tensor lastLogits;                 // [n_vocab, 1]

    Session(Vlm model, SessionOptions options) {
        this.model = model;
        this.options = options;
        var c = model.llama().config();
        int ctx = options.contextSize() > 0 ? options.contextSize() : Math.min(c.nCtxTrain(), 4096);
        this.cache = model.llama().newCache(ctx, options.kvType());
        int batch = Math.min(options.batchSize(), ctx);
        this.scratch = model.llama().newScratch(batch);
        this.input = Tensor.f32(arena, c.nEmbd(), batch);
        this.lastLogits = Tensor.f32(arena, c.nVocab(), 1);
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
     * Generates from a prompt with {@code <image>} markers, one per image, in order. The text
     * segments around the markers are tokenized independently (only the first gets BOS), and each
     * image's embeddings enter the decoder at consecutive positions. Image embeddings are cached by
     * content within the session.
     */
    public GenerationResult generate(String prompt, List<Image> images, GenerationParams params, TokenListener listener) {
        return generate(promptParts(prompt, images, params.addBos(), params.parseSpecial()), params, listener);
    }

    /** The decoder input for a prompt with {@code <image>} markers (see {@link #generate(String, List, GenerationParams, TokenListener)}). */
    public List<PromptPart> promptParts(String prompt, List<Image> images, boolean addBos, boolean parseSpecial) {
        return Llava.promptParts(prompt, images, model.tokenizer(), addBos, parseSpecial, model.llama().config().nEmbd(),
                img -> imageCache.computeIfAbsent(img.contentHash(), h -> model.embedImage(img)));
    }

    /**
     * Evaluates {@code prompt} (reusing the cached prefix it shares with this session's history),
     * then samples up to {@code maxTokens} tokens, streaming each to {@code listener}; stops at
     * end-of-generation tokens, stop strings, cancellation or a full context.
     */
    public GenerationResult generate(int[] prompt, GenerationParams params, TokenListener listener) {
        return generate(List.of(new PromptPart.Tokens(prompt)), params, listener);
    }

    /** As {@link #generate(int[], GenerationParams, TokenListener)} for a prompt of token and image parts. */
    public GenerationResult generate(List<PromptPart> prompt, GenerationParams params, TokenListener listener) {
        int total = prompt.stream().mapToInt(PromptPart::length).sum();
        if (total == 0) throw new IllegalArgumentException("empty prompt: nothing to continue from");
        Tokenizer tok = model.tokenizer();
        long t0 = System.nanoTime();
        int reused = reusePrefix(prompt, total);
        float[] logits = evaluate(prompt, reused, false)[0];
        long t1 = System.nanoTime();

        Sampler sampler = new Sampler(params.sampler());
        StreamingDecoder decoder = new StreamingDecoder(tok);
        StopStrings output = new StopStrings(params.stopStrings());
        int[] out = new int[Math.max(params.maxTokens(), 1)];
        int n = 0;
        GenerationResult.StopReason reason = GenerationResult.StopReason.MAX_TOKENS;
        boolean cancelled = false;
        while (n < params.maxTokens()) {
            int id = sampler.sample(logits, history, cache.size());
            if (tok.isEog(id)) {
                reason = GenerationResult.StopReason.EOS;
                break;
            }
            out[n++] = id;
            String piece = output.append(decoder.accept(id));
            if (output.stopped()) {
                reason = GenerationResult.StopReason.STOP_STRING;
                cancelled = !listener.onToken(id, piece);
                break;
            }
            if (!listener.onToken(id, piece)) {
                reason = GenerationResult.StopReason.CANCELLED;
                cancelled = true;
                break;
            }
            if (n == params.maxTokens()) break;
            if (cache.remaining() < 1) {
                reason = GenerationResult.StopReason.CONTEXT_FULL;
                break;
            }
            logits = evaluate(new int[] {id});
        }
        if (!cancelled && !output.stopped()) {
            String rest = output.append(decoder.flush()) + output.flush();
            if (!rest.isEmpty()) listener.onToken(TokenListener.FLUSH, rest);
        }
        long t2 = System.nanoTime();
        return new GenerationResult(output.text(), Arrays.copyOf(out, n), total - reused, reused, t1 - t0, t2 - t1, reason);
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
     * the last one, each {@code [n_vocab]}.
     */
    public float[][] evaluate(int[] tokens, boolean all) {
        return evaluate(List.of(new PromptPart.Tokens(tokens)), 0, all);
    }

    /**
     * Runs the prompt parts after what is cached, skipping their first {@code skip} positions
     * (already cached); prefill runs in batches of {@code batchSize}, images one part per batch.
     * Returns logits for every evaluated position ({@code all}) or just the last, each {@code [n_vocab]}.
     */
    public float[][] evaluate(List<PromptPart> parts, int skip, boolean all) {
        int total = parts.stream().mapToInt(PromptPart::length).sum() - skip;
        if (total <= 0) throw new IllegalArgumentException("nothing to evaluate");
        if (total > cache.remaining()) throw new ContextFullException(cache.size(), total, cache.capacity());
        Llama llama = model.llama();
        Backend be = model.backend();
        int nEmbd = llama.config().nEmbd(), nVocab = llama.config().nVocab();
        float[][] result = new float[all ? total : 1][];
        int done = 0;       // positions evaluated by this call
        int offset = 0;     // start of the current part in prompt positions
        for (PromptPart part : parts) {
            int from = Math.max(0, skip - offset);
            offset += part.length();
            for (int start = from; start < part.length(); start += input.ne(1)) {
                int n = (int) Math.min(part.length() - start, input.ne(1));
                boolean last = done + n == total;
                int nLogits = all ? n : (last ? 1 : 0);
                Tensor x = input.sliceOuter(0, n);
                switch (part) {
                    case PromptPart.Tokens t -> llama.embed(be, Arrays.copyOfRange(t.ids(), start, start + n), x);
                    case PromptPart.Embeddings e -> {
                        if (e.nEmbd() != nEmbd) throw new IllegalArgumentException("image embeddings of width " + e.nEmbd() + " do not fit a decoder of width " + nEmbd);
                        MemorySegment.copy(e.data(), start * nEmbd, x.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, 0, n * nEmbd);
                    }
                }
                // logits of all positions need their own buffer; GC-managed, so no arena close on this path
                Tensor logits = nLogits == 0 ? null : all ? Tensor.f32(Arena.ofAuto(), nVocab, nLogits) : lastLogits;
                llama.forward(be, cache, x, logits, options.adapters(), null, scratch);
                appendHistory(part, start, n);
                for (int i = 0; i < nLogits; i++) {
                    float[] row = new float[nVocab];
                    MemorySegment.copy(logits.data(), ValueLayout.JAVA_FLOAT_UNALIGNED, (long) i * nVocab * 4, row, 0, nVocab);
                    result[all ? done + i : 0] = row;
                }
                done += n;
            }
        }
        return result;
    }

    /** Forgets everything cached: the next prompt is evaluated from scratch. */
    public void reset() {
        cache.truncate(0);
    }

    /** Keeps the longest cached prefix shared with the prompt (at least one position is always re-run for its logits). */
    private int reusePrefix(List<PromptPart> prompt, int total) {
        int n = 0, limit = Math.min(cache.size(), total - 1);
        outer:
        for (PromptPart p : prompt) {
            for (int i = 0; i < p.length(); i++) {
                if (n >= limit || history[n] != p.historyId(i)) break outer;
                n++;
            }
        }
        cache.truncate(n);
        return n;
    }

    private void appendHistory(PromptPart part, int start, int n) {
        int at = cache.size() - n;
        if (history.length < cache.size()) history = Arrays.copyOf(history, Math.max(cache.size(), history.length * 2));
        for (int i = 0; i < n; i++) history[at + i] = part.historyId(start + i);
    }

    @Override
    public void close() {
        try {
            cache.close();
            scratch.close();
        } finally {
            if (arena.scope().isAlive()) arena.close();
        }
    }
}
