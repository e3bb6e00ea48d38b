package dev.vlm4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.core.testing.BackendConformance;
import java.lang.foreign.Arena;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The suite can fail: deliberately broken backends (a reference with one defect each) must fail
 * the cases that exercise the defect, with a message naming the seed, op and shapes, and a
 * backend that does not claim an op must pass that op's cases without running them.
 */
class BackendConformanceSelfTest {

    /** A backend that forwards every op to a reference backend; subclasses break one op. */
    private static class Forwarding implements Backend {
        final ReferenceBackend ref = new ReferenceBackend();

        @Override public String name() { return "broken"; }
        @Override public boolean supports(Op op, GgmlType... types) { return ref.supports(op, types); }
        @Override public void matmul(Tensor w, Tensor x, Tensor y) { ref.matmul(w, x, y); }
        @Override public void matmul(Tensor w, Tensor x, Tensor y, Lora lora) { ref.matmul(w, x, y, lora); }
        @Override public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams p) { ref.attention(q, k, v, out, p); }
        @Override public void rmsNorm(Tensor x, Tensor w, float eps, Tensor out) { ref.rmsNorm(x, w, eps, out); }
        @Override public void layerNorm(Tensor x, Tensor w, Tensor b, float eps, Tensor out) { ref.layerNorm(x, w, b, eps, out); }
        @Override public void rope(Tensor x, int[] pos, RopeParams p, Tensor out) { ref.rope(x, pos, p, out); }
        @Override public void softmax(Tensor x, float scale, Tensor out) { ref.softmax(x, scale, out); }
        @Override public void gelu(Tensor x, Tensor out) { ref.gelu(x, out); }
        @Override public void quickGelu(Tensor x, Tensor out) { ref.quickGelu(x, out); }
        @Override public void silu(Tensor x, Tensor out) { ref.silu(x, out); }
        @Override public void swiglu(Tensor g, Tensor u, Tensor out) { ref.swiglu(g, u, out); }
        @Override public void add(Tensor a, Tensor b, Tensor out) { ref.add(a, b, out); }
        @Override public void mul(Tensor a, Tensor b, Tensor out) { ref.mul(a, b, out); }
        @Override public void scale(Tensor x, float s, Tensor out) { ref.scale(x, s, out); }
        @Override public void getRows(Tensor t, int[] ids, Tensor out) { ref.getRows(t, ids, out); }
        @Override public void copy(Tensor src, Tensor dst) { ref.copy(src, dst); }
        @Override public void patchEmbed(Tensor img, Tensor k, Tensor b, Tensor out) { ref.patchEmbed(img, k, b, out); }
        @Override public void close() { ref.close(); }
    }

    /** The suite bound to one backend, driven by hand (not discovered by surefire: nested). */
    private static final class Suite extends BackendConformance {
        private final Backend backend;

        Suite(Backend backend) {
            this.backend = backend;
        }

        @Override
        protected Backend backend() {
            return backend;
        }
    }

    private static void run(Backend backend, Consumer<Suite> body) {
        Suite s = new Suite(backend);
        s.openBackend();
        try {
            body.accept(s);
        } finally {
            s.closeBackend();
        }
    }

    private static void assertFailsWith(String fragment, Runnable testCase) {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, testCase::run);
        assertTrue(e.getMessage().contains(fragment) && e.getMessage().contains("seed "), e.getMessage());
    }

    @Test
    void unwrittenElementFails() {
        run(new Forwarding() {
            @Override public void matmul(Tensor w, Tensor x, Tensor y) {
                // y arrives poisoned with NaN: compute, then put the last element's NaN back
                float[] keep = y.toFloatArray();
                ref.matmul(w, x, y);
                y.setFloat(y.elementCount() - 1, keep[keep.length - 1]);
            }
        }, s -> assertFailsWith("never written", () -> s.matmul(GgmlType.F32, 96, 37, 3)));
    }

    @Test
    void wrongRopePairingFails() {
        run(new Forwarding() {
            @Override public void rope(Tensor x, int[] pos, RopeParams p, Tensor out) {
                RopeMode other = p.mode() == RopeMode.NORM ? RopeMode.NEOX : RopeMode.NORM;
                ref.rope(x, pos, new RopeParams(other, p.nRot(), p.freqBase(), p.freqScale()), out);
            }
        }, s -> assertFailsWith("NMSE", () -> s.rope(RopeMode.NEOX, 64, 32, 1f, 10000f, false)));
    }

    @Test
    void ignoringTheCausalMaskFails() {
        run(new Forwarding() {
            @Override public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams p) {
                ref.attention(q, k, v, out, AttentionParams.full(p.scale()));
            }
        }, s -> assertFailsWith("NMSE", () -> s.attention(GgmlType.F16, 64, 4, true, 7, 27, 20)));
    }

    @Test
    void wrongGqaMappingFails() {
        // query head h reads KV head h % n_head_kv instead of h / (n_head / n_head_kv)
        run(new Forwarding() {
            @Override public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams p) {
                int nHead = (int) q.ne(1);
                ref.attention(q, interleavedKv(k, nHead), interleavedKv(v, nHead), out, p);
            }
        }, s -> assertFailsWith("NMSE", () -> s.attention(GgmlType.F32, 64, 2, false, 7, 13, 0)));
    }

    @Test
    void ignoringTheLoraMaskFails() {
        run(new Forwarding() {
            @Override public void matmul(Tensor w, Tensor x, Tensor y, Lora lora) {
                ref.matmul(w, x, y, new Lora(lora.terms(), null));
            }
        }, s -> assertFailsWith("NMSE", () -> s.matmulLora(GgmlType.F32, 1, true, 17)));
    }

    @Test
    void coarseQuantizedMatmulFails() {
        // 4-bit activations instead of 8-bit: the error exceeds what the quantized bound allows
        run(new Forwarding() {
            @Override public void matmul(Tensor w, Tensor x, Tensor y) {
                Tensor xq = map(x, v -> Math.round(v * 2f) / 2f);
                ref.matmul(w, xq, y);
            }
        }, s -> assertFailsWith("NMSE", () -> s.matmul(GgmlType.Q4_K, 256, 37, 17)));
    }

    @Test
    void eightBitActivationsPassTheQuantizedBound() {
        // per-row symmetric 8-bit activations, as fast integer kernels do: within QUANT_NMSE
        run(new Forwarding() {
            @Override public void matmul(Tensor w, Tensor x, Tensor y) {
                ref.matmul(w, quantizeRows8(x), y);
            }
        }, s -> assertDoesNotThrow(() -> s.matmul(GgmlType.Q4_K, 256, 37, 17)));
    }

    @Test
    void unclaimedOpsAreNotRun() {
        run(new Forwarding() {
            @Override public boolean supports(Op op, GgmlType... types) { return op != Op.SOFTMAX; }
            @Override public void softmax(Tensor x, float scale, Tensor out) { throw new AssertionError("must not be called"); }
        }, s -> assertDoesNotThrow(() -> s.softmax(1f)));
    }

    // ------------------------------------------------------------------ helpers

    private static Tensor map(Tensor x, Function<Float, Float> f) {
        Tensor t = Tensor.f32(Arena.ofAuto(), x.shape());
        for (long i = 0; i < x.elementCount(); i++) t.setFloat(i, f.apply(x.getFloat(i)));
        return t;
    }

    private static Tensor quantizeRows8(Tensor x) {
        Tensor t = Tensor.f32(Arena.ofAuto(), x.shape());
        int n = (int) x.ne(0);
        for (long r = 0; r < x.rowCount(); r++) {
            float max = 0;
            for (int i = 0; i < n; i++) max = Math.max(max, Math.abs(x.getFloat(r * n + i)));
            float d = max / 127;
            for (int i = 0; i < n; i++) t.setFloat(r * n + i, d == 0 ? 0 : Math.round(x.getFloat(r * n + i) / d) * d);
        }
        return t;
    }

    /** kv [hd, n_head_kv, n] expanded to [hd, n_head, n] F32 with head h taken from KV head h % n_head_kv (wrong on purpose). */
    private static Tensor interleavedKv(Tensor kv, int nHead) {
        int hd = (int) kv.ne(0), nHeadKv = (int) kv.ne(1);
        long n = kv.ne(2);
        Tensor t = Tensor.f32(Arena.ofAuto(), hd, nHead, n);
        for (long j = 0; j < n; j++) {
            for (int h = 0; h < nHead; h++) {
                for (int d = 0; d < hd; d++) {
                    t.setFloat((j * nHead + h) * hd + d, kv.getFloat((j * nHeadKv + h % nHeadKv) * hd + d));
                }
            }
        }
        return t;
    }
}
