package dev.vlm4j.core.backend;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Routes each op to {@code primary} when it supports the op for the given types, otherwise to
 * {@code fallback}, logging each (op, types) detour once at INFO so that a slow path is never silent.
 */
public final class FallbackBackend implements Backend {
    private static final System.Logger LOG = System.getLogger(FallbackBackend.class.getName());

    private final Backend primary;
    private final Backend fallback;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public FallbackBackend(Backend primary, Backend fallback) {
        this.primary = primary;
        this.fallback = fallback;
    }

    public Backend primary() { return primary; }
    public Backend fallback() { return fallback; }

    @Override
    public String name() {
        return primary.name();
    }

    @Override
    public boolean supports(Op op, GgmlType... types) {
        return primary.supports(op, types) || fallback.supports(op, types);
    }

    private Backend route(Op op, GgmlType... types) {
        if (primary.supports(op, types)) return primary;
        String key = op + Arrays.toString(types);
        if (logged.add(key)) {
            LOG.log(System.Logger.Level.INFO, "backend {0} lacks {1} for {2}; using {3}",
                    primary.name(), op, Arrays.toString(types), fallback.name());
        }
        return fallback;
    }

    @Override public void matmul(Tensor w, Tensor x, Tensor y) { route(Op.MATMUL, w.type()).matmul(w, x, y); }
    @Override public void matmul(Tensor w, Tensor x, Tensor y, Lora lora) { route(Op.MATMUL_LORA, w.type()).matmul(w, x, y, lora); }
    @Override public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams p) { route(Op.ATTENTION, k.type()).attention(q, k, v, out, p); }
    @Override public void rmsNorm(Tensor x, Tensor w, float eps, Tensor out) { route(Op.RMS_NORM).rmsNorm(x, w, eps, out); }
    @Override public void layerNorm(Tensor x, Tensor w, Tensor b, float eps, Tensor out) { route(Op.LAYER_NORM).layerNorm(x, w, b, eps, out); }
    @Override public void rope(Tensor x, int[] pos, RopeParams p, Tensor out) { route(Op.ROPE).rope(x, pos, p, out); }
    @Override public void softmax(Tensor x, float scale, Tensor out) { route(Op.SOFTMAX).softmax(x, scale, out); }
    @Override public void gelu(Tensor x, Tensor out) { route(Op.GELU).gelu(x, out); }
    @Override public void quickGelu(Tensor x, Tensor out) { route(Op.QUICK_GELU).quickGelu(x, out); }
    @Override public void silu(Tensor x, Tensor out) { route(Op.SILU).silu(x, out); }
    @Override public void swiglu(Tensor g, Tensor u, Tensor out) { route(Op.SWIGLU).swiglu(g, u, out); }
    @Override public void add(Tensor a, Tensor b, Tensor out) { route(Op.ADD).add(a, b, out); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { route(Op.MUL).mul(a, b, out); }
    @Override public void scale(Tensor x, float s, Tensor out) { route(Op.SCALE).scale(x, s, out); }
    @Override public void getRows(Tensor t, int[] ids, Tensor out) { route(Op.GET_ROWS, t.type()).getRows(t, ids, out); }
    @Override public void copy(Tensor src, Tensor dst) { route(Op.COPY, dst.type()).copy(src, dst); }
    @Override public void patchEmbed(Tensor img, Tensor k, Tensor b, Tensor out) { route(Op.PATCH_EMBED, k.type()).patchEmbed(img, k, b, out); }

    @Override
    public void close() {
        try {
            primary.close();
        } finally {
            fallback.close();
        }
    }
}
