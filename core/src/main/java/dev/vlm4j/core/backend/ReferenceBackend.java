package dev.vlm4j.core.backend;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;

/** The float64 scalar oracle for every op. API stub: the implementation lands with the reference backend work. */
public final class ReferenceBackend implements Backend {
    @Override public String name() { return "reference"; }
    @Override public boolean supports(Op op, GgmlType... types) { return false; }
    @Override public void close() {}
    @Override public void matmul(Tensor w, Tensor x, Tensor y) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void matmul(Tensor w, Tensor x, Tensor y, Lora lora) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams params) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void rope(Tensor x, int[] positions, RopeParams params, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void softmax(Tensor x, float scale, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void gelu(Tensor x, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void quickGelu(Tensor x, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void silu(Tensor x, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void swiglu(Tensor gate, Tensor up, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void add(Tensor a, Tensor b, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void scale(Tensor x, float s, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void getRows(Tensor table, int[] ids, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void copy(Tensor src, Tensor dst) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
    @Override public void patchEmbed(Tensor image, Tensor kernel, Tensor bias, Tensor out) { throw new UnsupportedOperationException("reference backend not implemented yet"); }
}
