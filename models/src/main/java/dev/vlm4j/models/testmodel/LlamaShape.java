package dev.vlm4j.models.testmodel;

import static dev.vlm4j.models.testmodel.TensorSpec.Init.NORMAL;
import static dev.vlm4j.models.testmodel.TensorSpec.Init.ONES;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * A LLaMA-architecture decoder laid out as llama.cpp's converter writes it, with every weight
 * matrix (token_embd and output included, as {@code llama-quantize --pure} does) in the chosen
 * type and the RMS-norm weights in F32.
 *
 * @param nVocab SentencePiece vocabulary size (see {@link SyntheticVocab#spm(int)})
 */
public record LlamaShape(String name, String modelName, int nEmbd, int nLayer, int nFf, int nHead, int nHeadKv,
        int nVocab, int nCtx, float rmsEps, float ropeBase) implements ModelShape {

    /** Milliseconds per forward pass; every dimension a multiple of 256 so that K-quants apply. */
    public static final LlamaShape TINY = new LlamaShape("tiny", "vlm4j-tiny-llama", 256, 2, 512, 4, 2, 512, 256, 1e-5f, 10000f);

    /** TinyLlama-1.1B: 22 layers of width 2048, GQA 32/4, SwiGLU 5632, 32000-piece SPM vocabulary. */
    public static final LlamaShape TINYLLAMA_1B = new LlamaShape("1b", "vlm4j-tinyllama-1.1b-synthetic", 2048, 22, 5632, 32, 4, 32000, 2048, 1e-5f, 10000f);

    public LlamaShape {
        if (nEmbd % nHead != 0 || nHead % nHeadKv != 0) {
            throw new IllegalArgumentException(name + ": n_embd " + nEmbd + ", heads " + nHead + ", kv heads " + nHeadKv + " do not divide");
        }
    }

    public int headDim() { return nEmbd / nHead; }

    /** Width of the K and V projections: {@code n_head_kv * head_dim}. */
    public int kvWidth() { return nHeadKv * headDim(); }

    @Override
    public SequencedMap<String, GgufValue> metadata(GgmlType type) {
        SequencedMap<String, GgufValue> m = new LinkedHashMap<>();
        m.put("general.architecture", GgufValue.string("llama"));
        m.put("general.name", GgufValue.string(modelName));
        m.put("general.file_type", GgufValue.u32(FileTypes.of(type)));
        if (type.isQuantized()) m.put("general.quantization_version", GgufValue.u32(2));
        m.put("llama.context_length", GgufValue.u32(nCtx));
        m.put("llama.embedding_length", GgufValue.u32(nEmbd));
        m.put("llama.block_count", GgufValue.u32(nLayer));
        m.put("llama.feed_forward_length", GgufValue.u32(nFf));
        m.put("llama.attention.head_count", GgufValue.u32(nHead));
        m.put("llama.attention.head_count_kv", GgufValue.u32(nHeadKv));
        m.put("llama.rope.dimension_count", GgufValue.u32(headDim()));
        m.put("llama.rope.freq_base", GgufValue.f32(ropeBase));
        m.put("llama.attention.layer_norm_rms_epsilon", GgufValue.f32(rmsEps));
        m.put("llama.vocab_size", GgufValue.u32(nVocab));
        m.putAll(SyntheticVocab.spm(nVocab).metadata());
        return m;
    }

    @Override
    public List<TensorSpec> tensors(GgmlType type) {
        FileTypes.of(type);
        List<TensorSpec> t = new ArrayList<>();
        // Weight matrices W[n_out][n_in] are stored as ne = [n_in, n_out].
        t.add(new TensorSpec("token_embd.weight", type, new long[] {nEmbd, nVocab}, NORMAL));
        for (int i = 0; i < nLayer; i++) {
            String b = "blk." + i + ".";
            t.add(new TensorSpec(b + "attn_norm.weight", GgmlType.F32, new long[] {nEmbd}, ONES));
            t.add(new TensorSpec(b + "attn_q.weight", type, new long[] {nEmbd, nEmbd}, NORMAL));
            t.add(new TensorSpec(b + "attn_k.weight", type, new long[] {nEmbd, kvWidth()}, NORMAL));
            t.add(new TensorSpec(b + "attn_v.weight", type, new long[] {nEmbd, kvWidth()}, NORMAL));
            t.add(new TensorSpec(b + "attn_output.weight", type, new long[] {nEmbd, nEmbd}, NORMAL));
            t.add(new TensorSpec(b + "ffn_norm.weight", GgmlType.F32, new long[] {nEmbd}, ONES));
            t.add(new TensorSpec(b + "ffn_gate.weight", type, new long[] {nEmbd, nFf}, NORMAL));
            t.add(new TensorSpec(b + "ffn_up.weight", type, new long[] {nEmbd, nFf}, NORMAL));
            t.add(new TensorSpec(b + "ffn_down.weight", type, new long[] {nFf, nEmbd}, NORMAL));
        }
        t.add(new TensorSpec("output_norm.weight", GgmlType.F32, new long[] {nEmbd}, ONES));
        t.add(new TensorSpec("output.weight", type, new long[] {nEmbd, nVocab}, NORMAL));
        return t;
    }
}
