package dev.vlm4j.models.llama;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.kv.ContextFullException;
import dev.vlm4j.core.kv.KvCache;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.models.lora.AdapterSet;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * LLaMA-family decoder ({@code llama}, {@code mistral}, {@code qwen2}): pre-norm blocks of
 * RMSNorm → GQA self-attention with RoPE → residual → RMSNorm → SwiGLU FFN → residual, then a
 * final RMSNorm and the output projection (tied to {@code token_embd} when {@code output.weight}
 * is absent). Weights are zero-copy views of the GGUF file; any mix of tensor types works.
 */
public final class Llama {
    private final LlamaConfig config;
    private final Tensor tokenEmbd;   // [n_embd, n_vocab]
    private final Tensor outputNorm;  // [n_embd]
    private final Tensor output;      // [n_embd, n_vocab]
    private final List<LlamaLayer> layers;

    private Llama(LlamaConfig config, Tensor tokenEmbd, Tensor outputNorm, Tensor output, List<LlamaLayer> layers) {
        this.config = config;
        this.tokenEmbd = tokenEmbd;
        this.outputNorm = outputNorm;
        this.output = output;
        this.layers = layers;
    }

    public static Llama load(GgufFile f) {
        LlamaConfig c = LlamaConfig.from(f);
        List<LlamaLayer> layers = new ArrayList<>(c.nLayer());
        for (int i = 0; i < c.nLayer(); i++) layers.add(LlamaLayer.load(f, i, c));
        Tensor embd = LlamaLayer.expect(f, "token_embd.weight", c.nEmbd(), c.nVocab());
        Tensor out = f.hasTensor("output.weight") ? LlamaLayer.expect(f, "output.weight", c.nEmbd(), c.nVocab()) : embd;
        return new Llama(c, embd, LlamaLayer.expect(f, "output_norm.weight", c.nEmbd()), out, List.copyOf(layers));
    }

    public LlamaConfig config() {
        return config;
    }

    /** A KV cache sized for this model. */
    public KvCache newCache(int capacity, dev.vlm4j.core.ggml.GgmlType type) {
        return new KvCache(config.nLayer(), config.headDim(), config.nHeadKv(), capacity, type);
    }

    /** Token embeddings: out {@code [n_embd, ids.length]}. */
    public void embed(Backend be, int[] ids, Tensor out) {
        for (int id : ids) {
            if (id < 0 || id >= config.nVocab()) throw new IllegalArgumentException("token id " + id + " outside vocabulary of " + config.nVocab());
        }
        be.getRows(tokenEmbd, ids, out);
    }

    /** Activation buffers for batches of up to {@code maxBatch} tokens, reused across forward passes. */
    public Scratch newScratch(int maxBatch) {
        return new Scratch(config, maxBatch);
    }

    /**
     * The forward pass's working memory, allocated once per session: every buffer is
     * {@code [width, maxBatch]} and a batch of T uses its first T columns.
     */
    public static final class Scratch implements AutoCloseable {
        private final Arena arena = Arena.ofShared();   // shared: the backend's worker threads read and write it
        final int maxBatch;
        final Tensor h, q, k, v, att, o, gate, up;

        private Scratch(LlamaConfig c, int maxBatch) {
            this.maxBatch = maxBatch;
            h = Tensor.f32(arena, c.nEmbd(), maxBatch);      // normed input of a sub-block
            q = Tensor.f32(arena, c.nEmbd(), maxBatch);
            k = Tensor.f32(arena, c.kvDim(), maxBatch);
            v = Tensor.f32(arena, c.kvDim(), maxBatch);
            att = Tensor.f32(arena, c.nEmbd(), maxBatch);    // attention output, heads concatenated
            o = Tensor.f32(arena, c.nEmbd(), maxBatch);      // projection back to the residual width
            gate = Tensor.f32(arena, c.nFf(), maxBatch);
            up = Tensor.f32(arena, c.nFf(), maxBatch);
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) arena.close();
        }
    }

    /**
     * Runs a batch of T input embeddings through the decoder at positions
     * {@code cache.size() .. cache.size() + T - 1}, appending their keys/values to the cache.
     *
     * @param x        input embeddings {@code [n_embd, T]}; used as the residual stream (overwritten)
     * @param logits   {@code [n_vocab, n]}: receives the logits of the last n positions (n ≤ T), or null for none
     * @param adapters LoRA adapters to fuse into the projections
     * @param loraMask per-token flags for the adapters (null: all tokens)
     * @param scratch  working memory with room for T tokens
     */
    public void forward(Backend be, KvCache cache, Tensor x, Tensor logits, AdapterSet adapters, boolean[] loraMask, Scratch scratch) {
        final LlamaConfig c = config;
        final int T = (int) x.ne(1);
        final int pos0 = cache.size();
        if (pos0 + T > cache.capacity()) throw new ContextFullException(pos0, T, cache.capacity());
        if (T > scratch.maxBatch) throw new IllegalArgumentException("batch of " + T + " exceeds the scratch size " + scratch.maxBatch);
        final int hd = c.headDim();
        final float attnScale = (float) (1.0 / Math.sqrt(hd));
        int[] positions = new int[T];
        for (int t = 0; t < T; t++) positions[t] = pos0 + t;

        Tensor h = scratch.h.sliceOuter(0, T), q = scratch.q.sliceOuter(0, T), k = scratch.k.sliceOuter(0, T);
        Tensor v = scratch.v.sliceOuter(0, T), att = scratch.att.sliceOuter(0, T), o = scratch.o.sliceOuter(0, T);
        Tensor gate = scratch.gate.sliceOuter(0, T), up = scratch.up.sliceOuter(0, T);

        for (LlamaLayer l : layers) {
            // attention: h = norm(x); q,k,v = h·Wᵀ (+b); RoPE; append k,v to the cache; attend
            be.rmsNorm(x, l.attnNorm(), c.rmsEps(), h);
            project(be, l.wq(), l.bq(), h, q, adapters, loraMask);
            project(be, l.wk(), l.bk(), h, k, adapters, loraMask);
            project(be, l.wv(), l.bv(), h, v, adapters, loraMask);
            Tensor q3 = q.reshape(hd, c.nHead(), T);      // [head_dim, n_head, T]
            Tensor k3 = k.reshape(hd, c.nHeadKv(), T);    // [head_dim, n_head_kv, T]
            be.rope(q3, positions, c.rope(), q3);
            be.rope(k3, positions, c.rope(), k3);
            be.copy(k3, cache.keys(l.index()).sliceOuter(pos0, T));
            be.copy(v.reshape(hd, c.nHeadKv(), T), cache.values(l.index()).sliceOuter(pos0, T));
            be.attention(q3, cache.keys(l.index()).sliceOuter(0, pos0 + T), cache.values(l.index()).sliceOuter(0, pos0 + T),
                    att.reshape(hd, c.nHead(), T), AttentionParams.causal(attnScale, pos0));
            project(be, l.wo(), null, att, o, adapters, loraMask);
            be.add(x, o, x);

            // feed-forward: x += down(silu(gate(h)) ⊙ up(h)), h = norm(x)
            be.rmsNorm(x, l.ffnNorm(), c.rmsEps(), h);
            project(be, l.gate(), null, h, gate, adapters, loraMask);
            project(be, l.up(), null, h, up, adapters, loraMask);
            be.swiglu(gate, up, gate);
            project(be, l.down(), null, gate, o, adapters, loraMask);
            be.add(x, o, x);
        }
        cache.advance(T);

        if (logits != null) {
            int n = (int) logits.ne(1);
            if (n > T) throw new IllegalArgumentException("asked for logits of " + n + " positions from a batch of " + T);
            Tensor last = x.sliceOuter(T - n, n);          // [n_embd, n]
            Tensor normed = h.sliceOuter(0, n);
            be.rmsNorm(last, outputNorm, c.rmsEps(), normed);
            be.matmul(output, normed, logits);
        }
    }

    /** out = in · Wᵀ (+ bias) (+ LoRA terms of this weight). */
    private static void project(Backend be, Tensor w, Tensor bias, Tensor in, Tensor out, AdapterSet adapters, boolean[] mask) {
        Lora lora = adapters == null ? null : adapters.forWeight(w, mask);
        if (lora == null) be.matmul(w, in, out);
        else be.matmul(w, in, out, lora);
        if (bias != null) be.add(out, bias, out);
    }
}
