package dev.vlm4j.models.llama;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tensor.Tensor;

/**
 * The weights of one decoder block, zero-copy views into the GGUF file. Shapes (ggml order):
 * norms {@code [n_embd]}; wq/wo {@code [n_embd, n_embd]}; wk/wv {@code [n_embd, kv_dim]};
 * gate/up {@code [n_embd, n_ff]}; down {@code [n_ff, n_embd]}; q/k/v biases (qwen2) or null.
 */
record LlamaLayer(int index, Tensor attnNorm, Tensor wq, Tensor wk, Tensor wv, Tensor wo,
                  Tensor bq, Tensor bk, Tensor bv, Tensor ffnNorm, Tensor gate, Tensor up, Tensor down) {

    static LlamaLayer load(GgufFile f, int i, LlamaConfig c) {
        String p = "blk." + i + ".";
        return new LlamaLayer(i,
                expect(f, p + "attn_norm.weight", c.nEmbd()),
                expect(f, p + "attn_q.weight", c.nEmbd(), c.nEmbd()),
                expect(f, p + "attn_k.weight", c.nEmbd(), c.kvDim()),
                expect(f, p + "attn_v.weight", c.nEmbd(), c.kvDim()),
                expect(f, p + "attn_output.weight", c.nEmbd(), c.nEmbd()),
                f.optTensor(p + "attn_q.bias").orElse(null),
                f.optTensor(p + "attn_k.bias").orElse(null),
                f.optTensor(p + "attn_v.bias").orElse(null),
                expect(f, p + "ffn_norm.weight", c.nEmbd()),
                expect(f, p + "ffn_gate.weight", c.nEmbd(), c.nFf()),
                expect(f, p + "ffn_up.weight", c.nEmbd(), c.nFf()),
                expect(f, p + "ffn_down.weight", c.nFf(), c.nEmbd()));
    }

    /** The tensor {@code name} with exactly {@code shape}, or an exception naming file, tensor and both shapes. */
    static Tensor expect(GgufFile f, String name, long... shape) {
        Tensor t = f.tensor(name);
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException(f.path() + ": tensor " + name + " has shape " + java.util.Arrays.toString(t.shape())
                    + ", expected " + java.util.Arrays.toString(shape));
        }
        return t;
    }
}
