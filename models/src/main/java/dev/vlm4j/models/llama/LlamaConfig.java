package dev.vlm4j.models.llama;

import dev.vlm4j.core.backend.RopeMode;
import dev.vlm4j.core.backend.RopeParams;
import dev.vlm4j.core.gguf.GgufFile;
import java.util.Set;

/**
 * Hyper-parameters of a LLaMA-family decoder, read from {@code <arch>.*} GGUF metadata with
 * llama.cpp's defaults (RoPE base 10000, rotary dims = head dim, RMS eps 1e-5).
 *
 * @param arch      {@code llama} (Llama 1/2/3, Mistral, TinyLlama: RoPE NORM) or {@code qwen2} (RoPE NEOX, QKV biases)
 * @param nEmbd     model width
 * @param nLayer    decoder blocks
 * @param nHead     query heads
 * @param nHeadKv   key/value heads (GQA when fewer than nHead)
 * @param nFf       FFN hidden width
 * @param nVocab    vocabulary size (rows of token_embd)
 * @param nCtxTrain context length the model was trained with
 */
public record LlamaConfig(String arch, int nEmbd, int nLayer, int nHead, int nHeadKv, int nFf, int nVocab,
                          int nCtxTrain, float rmsEps, RopeParams rope) {

    public static final Set<String> ARCHITECTURES = Set.of("llama", "mistral", "qwen2");

    public int headDim() {
        return nEmbd / nHead;
    }

    /** Width of the K and V projections: n_head_kv · head_dim. */
    public int kvDim() {
        return nHeadKv * headDim();
    }

    public static LlamaConfig from(GgufFile f) {
        String arch = f.requireString("general.architecture");
        if (!ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException(f.path() + ": architecture '" + arch + "' is not a LLaMA-family decoder (supported: "
                    + ARCHITECTURES + ")");
        }
        int nEmbd = f.requireInt(arch + ".embedding_length");
        int nHead = f.requireInt(arch + ".attention.head_count");
        int nHeadKv = f.optInt(arch + ".attention.head_count_kv").orElse(nHead);
        if (nHead <= 0 || nEmbd % nHead != 0) {
            throw new IllegalArgumentException(f.path() + ": embedding_length " + nEmbd + " is not a multiple of head_count " + nHead);
        }
        if (nHeadKv <= 0 || nHead % nHeadKv != 0) {
            throw new IllegalArgumentException(f.path() + ": head_count " + nHead + " is not a multiple of head_count_kv " + nHeadKv);
        }
        int headDim = nEmbd / nHead;
        int nRot = f.optInt(arch + ".rope.dimension_count").orElse(headDim);
        float base = f.optFloat(arch + ".rope.freq_base").orElse(10000f);
        float scale = 1f;
        var scalingType = f.optString(arch + ".rope.scaling.type");
        if (scalingType.isPresent() && scalingType.get().equals("linear")) {
            scale = 1f / f.optFloat(arch + ".rope.scaling.factor").orElse(1f);
        }
        RopeMode mode = arch.equals("qwen2") ? RopeMode.NEOX : RopeMode.NORM;
        int nVocab = (int) f.tensorInfo("token_embd.weight")
                .orElseThrow(() -> new IllegalArgumentException(f.path() + ": missing tensor token_embd.weight")).shape()[1];
        return new LlamaConfig(arch, nEmbd, f.requireInt(arch + ".block_count"), nHead, nHeadKv,
                f.requireInt(arch + ".feed_forward_length"), nVocab,
                f.optInt(arch + ".context_length").orElse(2048),
                f.optFloat(arch + ".attention.layer_norm_rms_epsilon").orElse(1e-5f),
                new RopeParams(mode, nRot, base, scale));
    }
}
