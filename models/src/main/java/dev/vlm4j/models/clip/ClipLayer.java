package dev.vlm4j.models.clip;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * One ViT block's weights: ln1/ln2 {@code [n_embd]}; q/k/v/out {@code [n_embd, n_embd]} with biases;
 * fc1 {@code [n_embd, n_ff]}, fc2 {@code [n_ff, n_embd]}. llama.cpp's CLIP files name fc1/fc2
 * {@code ffn_down}/{@code ffn_up} in the legacy LLaVA conversion and the other way round in newer
 * ones, so which is which is decided by shape, as llama.cpp does.
 */
record ClipLayer(Tensor ln1W, Tensor ln1B, Tensor wq, Tensor bq, Tensor wk, Tensor bk, Tensor wv, Tensor bv,
                 Tensor wo, Tensor bo, Tensor ln2W, Tensor ln2B, Tensor fc1, Tensor fc1B, Tensor fc2, Tensor fc2B) {

    static ClipLayer load(GgufFile f, int i, ClipConfig c, UnaryOperator<Tensor> toF32) {
        String p = "v.blk." + i + ".";
        Tensor down = f.tensor(p + "ffn_down.weight");
        Tensor up = f.tensor(p + "ffn_up.weight");
        boolean legacy = down.ne(1) == c.nFf();     // ffn_down maps n_embd → n_ff: it is fc1
        Tensor fc1 = legacy ? down : up, fc2 = legacy ? up : down;
        String fc1Name = legacy ? "ffn_down" : "ffn_up", fc2Name = legacy ? "ffn_up" : "ffn_down";
        if (fc1.ne(0) != c.nEmbd() || fc1.ne(1) != c.nFf() || fc2.ne(0) != c.nFf() || fc2.ne(1) != c.nEmbd()) {
            throw new IllegalArgumentException(f.path() + ": " + p + "ffn weights " + down + " / " + up + " do not match n_embd "
                    + c.nEmbd() + ", n_ff " + c.nFf());
        }
        return new ClipLayer(
                toF32.apply(f.tensor(p + "ln1.weight")), toF32.apply(f.tensor(p + "ln1.bias")),
                f.tensor(p + "attn_q.weight"), toF32.apply(f.tensor(p + "attn_q.bias")),
                f.tensor(p + "attn_k.weight"), toF32.apply(f.tensor(p + "attn_k.bias")),
                f.tensor(p + "attn_v.weight"), toF32.apply(f.tensor(p + "attn_v.bias")),
                f.tensor(p + "attn_out.weight"), toF32.apply(f.tensor(p + "attn_out.bias")),
                toF32.apply(f.tensor(p + "ln2.weight")), toF32.apply(f.tensor(p + "ln2.bias")),
                fc1, toF32.apply(f.tensor(p + fc1Name + ".bias")), fc2, toF32.apply(f.tensor(p + fc2Name + ".bias")));
    }
}
