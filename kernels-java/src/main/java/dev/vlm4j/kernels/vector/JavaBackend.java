package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.backend.Op;
import dev.vlm4j.core.backend.RopeParams;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.matmul.MatmulKernels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Vector API backend. Owns one {@link WorkerPool} (threads from {@link BackendOptions#resolvedThreads()})
 * and the scratch memory of ops that need temporaries; {@link #close()} releases both. Matmuls go to
 * the {@link MatmulKernels} table; everything else lives in one small class per op family.
 */
public final class JavaBackend implements Backend {
    /** Which ggml types each op accepts (weight/table/KV/destination type; F32 for activation-only ops). */
    private static final Map<Op, Predicate<GgmlType>> SUPPORT = supportTable();

    private static final System.Logger LOG = System.getLogger(JavaBackend.class.getName());
    /** Stands for "any thread but the caller" when asking whether a tensor's memory is thread-confined. */
    private static final Thread OTHER_THREAD = Thread.ofVirtual().unstarted(() -> {});

    private final WorkerPool pool;
    /** Runs every task on the caller: used for tensors in confined arenas, which worker threads cannot touch. */
    private final WorkerPool inline = new WorkerPool(1);
    private volatile boolean warnedConfined;
    private final Scratch scratch = new Scratch();
    private final FlashAttention attention = new FlashAttention();
    private final Rope rope = new Rope();
    private volatile boolean closed;

    public JavaBackend(BackendOptions options) {
        this.pool = new WorkerPool(options.resolvedThreads());
    }

    private static Map<Op, Predicate<GgmlType>> supportTable() {
        Map<Op, Predicate<GgmlType>> m = new EnumMap<>(Op.class);
        Predicate<GgmlType> f32 = t -> t == GgmlType.F32;
        for (Op op : Op.values()) m.put(op, f32);
        m.put(Op.MATMUL, MatmulKernels::supports);
        m.put(Op.MATMUL_LORA, MatmulKernels::supports);
        m.put(Op.PATCH_EMBED, t -> MatmulKernels.supports(t) && (t == GgmlType.F32 || t == GgmlType.F16));
        m.put(Op.ATTENTION, FlashAttention::supportsKv);
        m.put(Op.GET_ROWS, Rows::canGather);
        m.put(Op.COPY, Rows::canCopyTo);
        return m;
    }

    /** Worker threads this backend runs ops on. */
    public int threads() {
        return pool.threads();
    }

    @Override public String name() { return JavaBackendProvider.NAME; }

    @Override
    public boolean supports(Op op, GgmlType... types) {
        Predicate<GgmlType> ok = SUPPORT.get(op);
        if (ok == null) return false;
        for (GgmlType t : types) if (t == null || !ok.test(t)) return false;
        return true;
    }

    @Override
    public void matmul(Tensor w, Tensor x, Tensor y) {
        LoraMatmul.plain(pool(w, x, y), w, x, y);
    }

    @Override
    public void matmul(Tensor w, Tensor x, Tensor y, Lora lora) {
        LoraMatmul.fused(pool(withAdapters(lora, w, x, y)), scratch, w, x, y, lora);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams params) {
        attention.attention(pool(q, k, v, out), q, k, v, out, params);
    }

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        Norms.rmsNorm(pool(x, weight, out), x, weight, eps, out);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        Norms.layerNorm(pool(x, weight, bias, out), x, weight, bias, eps, out);
    }

    @Override
    public void rope(Tensor x, int[] positions, RopeParams params, Tensor out) {
        rope.rope(pool(x, out), x, positions, params, out);
    }

    @Override
    public void softmax(Tensor x, float scale, Tensor out) {
        Softmax.softmax(pool(x, out), x, scale, out);
    }

    @Override
    public void gelu(Tensor x, Tensor out) {
        Activations.gelu(pool(x, out), x, out);
    }

    @Override
    public void quickGelu(Tensor x, Tensor out) {
        Activations.quickGelu(pool(x, out), x, out);
    }

    @Override
    public void silu(Tensor x, Tensor out) {
        Activations.silu(pool(x, out), x, out);
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, Tensor out) {
        Activations.swiglu(pool(gate, up, out), gate, up, out);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        Elementwise.add(pool(a, b, out), a, b, out);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        Elementwise.mul(pool(a, b, out), a, b, out);
    }

    @Override
    public void scale(Tensor x, float s, Tensor out) {
        Elementwise.scale(pool(x, out), x, s, out);
    }

    @Override
    public void getRows(Tensor table, int[] ids, Tensor out) {
        Rows.getRows(pool(table, out), table, ids, out);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        Rows.copy(pool(src, dst), src, dst);
    }

    @Override
    public void patchEmbed(Tensor image, Tensor kernel, Tensor bias, Tensor out) {
        PatchEmbed.patchEmbed(pool(image, kernel, bias, out), scratch, image, kernel, bias, out);
    }

    private static Tensor[] withAdapters(Lora lora, Tensor... tensors) {
        if (lora == null) return tensors;
        List<Tensor> all = new ArrayList<>(Arrays.asList(tensors));
        for (LoraTerm term : lora.terms()) {
            all.add(term.a());
            all.add(term.b());
        }
        return all.toArray(Tensor[]::new);
    }

    /**
     * The pool for a call on these tensors: the worker pool, or the inline one when some tensor
     * lives in a confined arena (its memory is readable by the calling thread only). Such calls
     * are correct but single-threaded, and logged once; sessions should use shared arenas.
     */
    private WorkerPool pool(Tensor... tensors) {
        if (closed) throw new IllegalStateException("java backend is closed");
        if (pool.threads() == 1) return pool;
        for (Tensor t : tensors) {
            if (t != null && !t.data().isAccessibleBy(OTHER_THREAD)) {
                if (!warnedConfined) {
                    warnedConfined = true;
                    LOG.log(System.Logger.Level.WARNING, "tensor " + t + " is in a thread-confined arena: java backend ops on it"
                            + " run single-threaded; allocate activations in Arena.ofShared() for multi-threaded kernels");
                }
                return inline;
            }
        }
        return pool;
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        pool.close();
        inline.close();
        scratch.close();
    }
}
