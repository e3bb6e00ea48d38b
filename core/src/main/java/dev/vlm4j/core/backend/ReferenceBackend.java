package dev.vlm4j.core.backend;

import dev.vlm4j.core.ggml.BlockDecoder;
import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * The oracle: every op of {@link Backend} as plain scalar Java with float64 accumulation and
 * float64 math ({@link Math#exp}, {@link Math#tanh}...), rounding to float32 only when writing
 * the output. Weights of every type {@link Codecs} can decode are decoded row by row, so the
 * reference also serves as the last-resort fallback of a real model run. Slow by design;
 * stateless and therefore thread-safe.
 *
 * <p>Inputs are validated on entry: a shape or type mismatch throws an
 * {@link IllegalArgumentException} naming the op, the operand and both sizes.
 */
public final class ReferenceBackend implements Backend {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    @Override
    public String name() {
        return ReferenceBackendProvider.NAME;
    }

    @Override
    public boolean supports(Op op, GgmlType... types) {
        Objects.requireNonNull(op, "op");
        for (GgmlType t : types) {
            boolean ok = switch (op) {
                case MATMUL, MATMUL_LORA, GET_ROWS -> Codecs.canDecode(t);
                case ATTENTION, COPY, PATCH_EMBED -> t == GgmlType.F32 || t == GgmlType.F16;
                default -> t == GgmlType.F32;
            };
            if (!ok) return false;
        }
        return true;
    }

    @Override
    public void close() {
        // Nothing to release: no threads, no native memory.
    }

    // ---------------------------------------------------------------- matmul

    @Override
    public void matmul(Tensor w, Tensor x, Tensor y) {
        matmul("matmul", w, x, y, null);
    }

    @Override
    public void matmul(Tensor w, Tensor x, Tensor y, Lora lora) {
        Objects.requireNonNull(lora, "matmul: lora is null (use the three-argument matmul)");
        matmul("matmul(lora)", w, x, y, lora);
    }

    /** w [n_in, n_out], x [n_in, n_tokens], y [n_out, n_tokens]; lora may be null. */
    private static void matmul(String op, Tensor w, Tensor x, Tensor y, Lora lora) {
        requireDecodable(op, "w", w);
        requireMatrix(op, "w", w);
        requireF32(op, "x", x);
        requireF32(op, "y", y);
        if (x.ne(0) != w.ne(0)) throw iae("%s: x.ne[0]=%d but w.ne[0]=%d", op, x.ne(0), w.ne(0));
        if (y.ne(0) != w.ne(1)) throw iae("%s: y.ne[0]=%d but w.ne[1]=%d (n_out)", op, y.ne(0), w.ne(1));
        if (y.rowCount() != x.rowCount()) {
            throw iae("%s: y has %d rows but x has %d (n_tokens)", op, y.rowCount(), x.rowCount());
        }
        int nIn = toInt(op, w.ne(0));
        int nOut = toInt(op, w.ne(1));
        int nTok = toInt(op, x.rowCount());
        List<LoraTerm> terms = lora == null ? List.of() : lora.terms();
        if (lora != null) validateLora(op, lora, nIn, nOut, nTok);

        float[] xs = readF32(x);
        // t[term][tok * r + k] = x[tok] · A[k]: the rank-r projection of each token, float64.
        double[][] proj = new double[terms.size()][];
        for (int ti = 0; ti < terms.size(); ti++) {
            proj[ti] = project(terms.get(ti).a(), xs, nIn, nTok);
        }

        BlockDecoder dec = Codecs.decoder(w.type());
        float[] wRow = new float[nIn];
        float[][] bRows = new float[terms.size()][];
        MemorySegment out = y.data();
        for (int o = 0; o < nOut; o++) {
            dec.decode(w.data(), o * w.rowBytes(), wRow, 0, nIn);
            for (int ti = 0; ti < terms.size(); ti++) bRows[ti] = decodeRow(terms.get(ti).b(), o);
            for (int t = 0; t < nTok; t++) {
                double acc = 0;
                int xo = t * nIn;
                for (int i = 0; i < nIn; i++) acc += (double) wRow[i] * xs[xo + i];
                if (lora != null && lora.appliesTo(t)) {
                    for (int ti = 0; ti < terms.size(); ti++) {
                        float[] b = bRows[ti];
                        double d = 0;
                        for (int k = 0, r = b.length; k < r; k++) d += proj[ti][t * r + k] * b[k];
                        acc += terms.get(ti).scale() * d;
                    }
                }
                out.set(F32, 4L * ((long) t * nOut + o), (float) acc);
            }
        }
    }

    private static void validateLora(String op, Lora lora, int nIn, int nOut, int nTok) {
        if (lora.tokenMask() != null && lora.tokenMask().length != nTok) {
            throw iae("%s: token mask has %d entries but the batch has %d tokens", op, lora.tokenMask().length, nTok);
        }
        for (int ti = 0; ti < lora.terms().size(); ti++) {
            LoraTerm term = lora.terms().get(ti);
            String a = "term " + ti + " A", b = "term " + ti + " B";
            requireDecodable(op, a, term.a());
            requireDecodable(op, b, term.b());
            requireMatrix(op, a, term.a());
            requireMatrix(op, b, term.b());
            if (term.a().ne(0) != nIn) throw iae("%s: %s.ne[0]=%d but w.ne[0]=%d", op, a, term.a().ne(0), nIn);
            if (term.b().ne(1) != nOut) throw iae("%s: %s.ne[1]=%d but w.ne[1]=%d", op, b, term.b().ne(1), nOut);
        }
    }

    /** a [n_in, r], xs n_tok rows of n_in: returns [n_tok][r] flattened, x · Aᵀ in float64. */
    private static double[] project(Tensor a, float[] xs, int nIn, int nTok) {
        int r = (int) a.ne(1);
        double[] p = new double[nTok * r];
        for (int k = 0; k < r; k++) {
            float[] aRow = decodeRow(a, k);
            for (int t = 0; t < nTok; t++) {
                double d = 0;
                for (int i = 0; i < nIn; i++) d += (double) aRow[i] * xs[t * nIn + i];
                p[t * r + k] = d;
            }
        }
        return p;
    }

    // ------------------------------------------------------------- attention

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, Tensor out, AttentionParams params) {
        String op = "attention";
        Objects.requireNonNull(params, "attention: params is null");
        requireF32(op, "q", q);
        requireF32(op, "out", out);
        requireKv(op, "k", k);
        requireKv(op, "v", v);
        require3d(op, "q", q);
        require3d(op, "k", k);
        requireSameShape(op, "v", v, "k", k);
        requireSameShape(op, "out", out, "q", q);
        if (k.ne(0) != q.ne(0)) throw iae("%s: k.ne[0]=%d (head_dim) but q.ne[0]=%d", op, k.ne(0), q.ne(0));
        int hd = toInt(op, q.ne(0)), nHead = toInt(op, q.ne(1)), nQ = toInt(op, q.ne(2));
        int nHeadKv = toInt(op, k.ne(1)), nKv = toInt(op, k.ne(2));
        if (nHead % nHeadKv != 0) {
            throw iae("%s: n_head=%d (q.ne[1]) is not a multiple of n_head_kv=%d (k.ne[1])", op, nHead, nHeadKv);
        }
        if (params.causal() && (long) params.qPosOffset() + nQ > nKv) {
            throw iae("%s: causal with qPosOffset=%d and n_q=%d needs n_kv >= %d, got k.ne[2]=%d",
                    op, params.qPosOffset(), nQ, params.qPosOffset() + nQ, nKv);
        }
        float[] qs = readF32(q);
        float[] ks = k.toFloatArray();
        float[] vs = v.toFloatArray();
        int group = nHead / nHeadKv;
        double scale = params.scale();
        double[] scores = new double[nKv];
        double[] acc = new double[hd];
        float[] res = new float[qs.length];
        for (int i = 0; i < nQ; i++) {
            int visible = params.causal() ? params.qPosOffset() + i + 1 : nKv;
            for (int h = 0; h < nHead; h++) {
                int qo = hd * (h + nHead * i);
                int kvh = h / group;
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < visible; j++) {
                    int ko = hd * (kvh + nHeadKv * j);
                    double s = 0;
                    for (int d = 0; d < hd; d++) s += (double) qs[qo + d] * ks[ko + d];
                    scores[j] = scale * s;
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                Arrays.fill(acc, 0);
                for (int j = 0; j < visible; j++) {
                    double p = Math.exp(scores[j] - max);
                    sum += p;
                    int vo = hd * (kvh + nHeadKv * j);
                    for (int d = 0; d < hd; d++) acc[d] += p * vs[vo + d];
                }
                for (int d = 0; d < hd; d++) res[qo + d] = (float) (acc[d] / sum);
            }
        }
        writeF32(out, res);
    }

    // ----------------------------------------------------------------- norms

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        String op = "rms_norm";
        requireF32(op, "x", x);
        requireF32(op, "out", out);
        requireSameShape(op, "out", out, "x", x);
        int n = toInt(op, x.ne(0));
        float[] w = weight == null ? null : vector(op, "weight", weight, n);
        float[] xs = readF32(x);
        for (int r = 0, rows = toInt(op, x.rowCount()); r < rows; r++) {
            int o = r * n;
            double ss = 0;
            for (int i = 0; i < n; i++) ss += (double) xs[o + i] * xs[o + i];
            double inv = 1.0 / Math.sqrt(ss / n + eps);
            for (int i = 0; i < n; i++) xs[o + i] = (float) (xs[o + i] * inv * (w == null ? 1.0 : w[i]));
        }
        writeF32(out, xs);
    }

    @Override
    public void layerNorm(Tensor x, Tensor weight, Tensor bias, float eps, Tensor out) {
        String op = "layer_norm";
        requireF32(op, "x", x);
        requireF32(op, "out", out);
        requireSameShape(op, "out", out, "x", x);
        int n = toInt(op, x.ne(0));
        float[] w = weight == null ? null : vector(op, "weight", weight, n);
        float[] b = bias == null ? null : vector(op, "bias", bias, n);
        float[] xs = readF32(x);
        for (int r = 0, rows = toInt(op, x.rowCount()); r < rows; r++) {
            int o = r * n;
            double mean = 0;
            for (int i = 0; i < n; i++) mean += xs[o + i];
            mean /= n;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double d = xs[o + i] - mean;
                var += d * d;
            }
            double inv = 1.0 / Math.sqrt(var / n + eps);
            for (int i = 0; i < n; i++) {
                double v = (xs[o + i] - mean) * inv;
                if (w != null) v *= w[i];
                if (b != null) v += b[i];
                xs[o + i] = (float) v;
            }
        }
        writeF32(out, xs);
    }

    // ------------------------------------------------------------------ rope

    @Override
    public void rope(Tensor x, int[] positions, RopeParams params, Tensor out) {
        String op = "rope";
        Objects.requireNonNull(positions, "rope: positions is null");
        Objects.requireNonNull(params, "rope: params is null");
        requireF32(op, "x", x);
        requireF32(op, "out", out);
        require3d(op, "x", x);
        requireSameShape(op, "out", out, "x", x);
        int hd = toInt(op, x.ne(0)), nHead = toInt(op, x.ne(1)), nTok = toInt(op, x.ne(2));
        if (positions.length != nTok) throw iae("%s: %d positions for x.ne[2]=%d tokens", op, positions.length, nTok);
        int nRot = params.nRot();
        if (nRot > hd) throw iae("%s: n_rot=%d exceeds head_dim x.ne[0]=%d", op, nRot, hd);
        int half = nRot / 2;
        float[] xs = readF32(x);
        double[] cos = new double[half], sin = new double[half];
        for (int t = 0; t < nTok; t++) {
            for (int i = 0; i < half; i++) {
                // angle of pair i at position p: p · freqScale · freqBase^(−2i / nRot)
                double theta = positions[t] * (double) params.freqScale() * Math.pow(params.freqBase(), -2.0 * i / nRot);
                cos[i] = Math.cos(theta);
                sin[i] = Math.sin(theta);
            }
            for (int h = 0; h < nHead; h++) {
                int o = hd * (h + nHead * t);
                for (int i = 0; i < half; i++) {
                    // NORM pairs adjacent dimensions (2i, 2i+1); NEOX pairs the halves (i, i + nRot/2).
                    int a = o + (params.mode() == RopeMode.NORM ? 2 * i : i);
                    int b = params.mode() == RopeMode.NORM ? a + 1 : a + half;
                    double x0 = xs[a], x1 = xs[b];
                    xs[a] = (float) (x0 * cos[i] - x1 * sin[i]);
                    xs[b] = (float) (x0 * sin[i] + x1 * cos[i]);
                }
            }
        }
        writeF32(out, xs);
    }

    // ------------------------------------------------------ softmax and activations

    @Override
    public void softmax(Tensor x, float scale, Tensor out) {
        String op = "softmax";
        requireF32(op, "x", x);
        requireF32(op, "out", out);
        requireSameShape(op, "out", out, "x", x);
        int n = toInt(op, x.ne(0));
        float[] xs = readF32(x);
        double[] e = new double[n];
        for (int r = 0, rows = toInt(op, x.rowCount()); r < rows; r++) {
            int o = r * n;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, (double) scale * xs[o + i]);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                e[i] = Math.exp((double) scale * xs[o + i] - max);
                sum += e[i];
            }
            for (int i = 0; i < n; i++) xs[o + i] = (float) (e[i] / sum);
        }
        writeF32(out, xs);
    }

    @Override
    public void gelu(Tensor x, Tensor out) {
        unary("gelu", x, out, v -> 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))));
    }

    @Override
    public void quickGelu(Tensor x, Tensor out) {
        unary("quick_gelu", x, out, v -> v / (1 + Math.exp(-1.702 * v)));
    }

    @Override
    public void silu(Tensor x, Tensor out) {
        unary("silu", x, out, ReferenceBackend::silu);
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, Tensor out) {
        String op = "swiglu";
        requireF32(op, "gate", gate);
        requireF32(op, "up", up);
        requireF32(op, "out", out);
        requireSameShape(op, "up", up, "gate", gate);
        requireSameShape(op, "out", out, "gate", gate);
        float[] g = readF32(gate), u = readF32(up);
        for (int i = 0; i < g.length; i++) g[i] = (float) (silu(g[i]) * u[i]);
        writeF32(out, g);
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    @Override
    public void scale(Tensor x, float s, Tensor out) {
        unary("scale", x, out, v -> v * s);
    }

    private static void unary(String op, Tensor x, Tensor out, DoubleUnaryOperator f) {
        requireF32(op, "x", x);
        requireF32(op, "out", out);
        requireSameShape(op, "out", out, "x", x);
        float[] xs = readF32(x);
        for (int i = 0; i < xs.length; i++) xs[i] = (float) f.applyAsDouble(xs[i]);
        writeF32(out, xs);
    }

    // ------------------------------------------------------------- add / mul

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        binary("add", a, b, out, false);
    }

    @Override
    public void mul(Tensor a, Tensor b, Tensor out) {
        binary("mul", a, b, out, true);
    }

    /** b has a's shape, or is one row [ne0] broadcast over a's rows. */
    private static void binary(String op, Tensor a, Tensor b, Tensor out, boolean multiply) {
        requireF32(op, "a", a);
        requireF32(op, "b", b);
        requireF32(op, "out", out);
        requireSameShape(op, "out", out, "a", a);
        boolean sameShape = sameDims(a, b);
        boolean row = b.ne(0) == a.ne(0) && b.rowCount() == 1;
        if (!sameShape && !row) {
            throw iae("%s: b %s is neither a's shape %s nor one row of %d", op,
                    Arrays.toString(b.shape()), Arrays.toString(a.shape()), a.ne(0));
        }
        int n = toInt(op, a.ne(0));
        float[] as = readF32(a), bs = readF32(b);
        for (int i = 0; i < as.length; i++) {
            double bv = bs[row ? i % n : i];
            as[i] = (float) (multiply ? as[i] * bv : as[i] + bv);
        }
        writeF32(out, as);
    }

    // ------------------------------------------------------ get_rows and copy

    @Override
    public void getRows(Tensor table, int[] ids, Tensor out) {
        String op = "get_rows";
        Objects.requireNonNull(ids, "get_rows: ids is null");
        requireDecodable(op, "table", table);
        requireMatrix(op, "table", table);
        requireF32(op, "out", out);
        if (out.ne(0) != table.ne(0)) throw iae("%s: out.ne[0]=%d but table.ne[0]=%d", op, out.ne(0), table.ne(0));
        if (out.rowCount() != ids.length) throw iae("%s: out has %d rows for %d ids", op, out.rowCount(), ids.length);
        long nRows = table.ne(1);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= nRows) {
                throw new IndexOutOfBoundsException("get_rows: id " + ids[i] + " (at position " + i
                        + ") is out of range for a table of " + nRows + " rows");
            }
        }
        int n = toInt(op, table.ne(0));
        float[] row = new float[n];
        BlockDecoder dec = Codecs.decoder(table.type());
        for (int i = 0; i < ids.length; i++) {
            dec.decode(table.data(), ids[i] * table.rowBytes(), row, 0, n);
            MemorySegment.copy(row, 0, out.data(), F32, 4L * i * n, n);
        }
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        String op = "copy";
        requireF32(op, "src", src);
        if (dst.type() != GgmlType.F32 && dst.type() != GgmlType.F16) {
            throw iae("%s: dst must be f32 or f16, got %s", op, dst);
        }
        if (src.elementCount() != dst.elementCount()) {
            throw iae("%s: src has %d elements but dst has %d", op, src.elementCount(), dst.elementCount());
        }
        float[] s = readF32(src);
        for (int i = 0; i < s.length; i++) dst.setFloat(i, s[i]);
    }

    // ------------------------------------------------------------ patch embed

    @Override
    public void patchEmbed(Tensor image, Tensor kernel, Tensor bias, Tensor out) {
        String op = "patch_embed";
        requireF32(op, "image", image);
        requireF32(op, "out", out);
        if (kernel.type() != GgmlType.F32 && kernel.type() != GgmlType.F16) {
            throw iae("%s: kernel must be f32 or f16, got %s", op, kernel);
        }
        if (image.nDims() > 3 || image.ne(2) != 3) throw iae("%s: image must be [width, height, 3], got %s", op, image);
        int p = toInt(op, kernel.ne(0));
        if (kernel.ne(1) != p || kernel.ne(2) != 3) throw iae("%s: kernel must be [p, p, 3, n_embd], got %s", op, kernel);
        int w = toInt(op, image.ne(0)), h = toInt(op, image.ne(1)), nEmbd = toInt(op, kernel.ne(3));
        if (w % p != 0 || h % p != 0) throw iae("%s: image %dx%d is not a multiple of the patch size %d", op, w, h, p);
        int nx = w / p, ny = h / p;
        if (out.ne(0) != nEmbd || out.rowCount() != (long) nx * ny) {
            throw iae("%s: out must be [%d, %d], got %s", op, nEmbd, nx * ny, out);
        }
        float[] b = bias == null ? null : vector(op, "bias", bias, nEmbd);
        float[] img = readF32(image);
        float[] ker = kernel.toFloatArray();
        int kLen = 3 * p * p;
        float[] patch = new float[kLen];
        float[] res = new float[nEmbd * nx * ny];
        for (int py = 0; py < ny; py++) {
            for (int px = 0; px < nx; px++) {
                // the patch in the kernel's order (c, ky, kx), kx contiguous
                for (int c = 0; c < 3; c++) {
                    for (int ky = 0; ky < p; ky++) {
                        int src = c * w * h + (py * p + ky) * w + px * p;
                        System.arraycopy(img, src, patch, (c * p + ky) * p, p);
                    }
                }
                int o = (py * nx + px) * nEmbd;
                for (int e = 0; e < nEmbd; e++) {
                    double acc = b == null ? 0 : b[e];
                    for (int i = 0, ko = e * kLen; i < kLen; i++) acc += (double) patch[i] * ker[ko + i];
                    res[o + e] = (float) acc;
                }
            }
        }
        writeF32(out, res);
    }

    // --------------------------------------------------------------- helpers

    private static float[] readF32(Tensor t) {
        int n = toInt("read", t.elementCount());
        float[] a = new float[n];
        MemorySegment.copy(t.data(), F32, 0, a, 0, n);
        return a;
    }

    private static void writeF32(Tensor t, float[] a) {
        MemorySegment.copy(a, 0, t.data(), F32, 0, a.length);
    }

    private static float[] decodeRow(Tensor t, long row) {
        int n = (int) t.ne(0);
        return Codecs.decode(t.type(), t.data(), row * t.rowBytes(), n);
    }

    /** A per-column parameter (norm weight, bias) of n elements, any decodable type. */
    private static float[] vector(String op, String what, Tensor t, int n) {
        requireDecodable(op, what, t);
        if (t.ne(0) != n || t.rowCount() != 1) throw iae("%s: %s must be [%d], got %s", op, what, n, t);
        return t.toFloatArray();
    }

    private static void requireF32(String op, String what, Tensor t) {
        Objects.requireNonNull(t, () -> op + ": " + what + " is null");
        if (t.type() != GgmlType.F32) throw iae("%s: %s must be f32, got %s", op, what, t);
    }

    private static void requireKv(String op, String what, Tensor t) {
        Objects.requireNonNull(t, () -> op + ": " + what + " is null");
        if (t.type() != GgmlType.F32 && t.type() != GgmlType.F16) throw iae("%s: %s must be f32 or f16, got %s", op, what, t);
    }

    private static void requireDecodable(String op, String what, Tensor t) {
        Objects.requireNonNull(t, () -> op + ": " + what + " is null");
        if (!Codecs.canDecode(t.type())) {
            throw iae("%s: %s has type %s, which this build cannot decode", op, what, t.type().displayName());
        }
    }

    private static void requireMatrix(String op, String what, Tensor t) {
        if (t.ne(2) != 1 || t.ne(3) != 1) throw iae("%s: %s must be 2-d, got %s", op, what, t);
    }

    private static void require3d(String op, String what, Tensor t) {
        if (t.ne(3) != 1) throw iae("%s: %s must have at most 3 dimensions, got %s", op, what, t);
    }

    private static void requireSameShape(String op, String what, Tensor t, String refName, Tensor ref) {
        Objects.requireNonNull(t, () -> op + ": " + what + " is null");
        if (!sameDims(t, ref)) {
            throw iae("%s: %s.shape=%s but %s.shape=%s", op, what, Arrays.toString(t.shape()), refName,
                    Arrays.toString(ref.shape()));
        }
    }

    /** Same sizes in all four dimensions (trailing 1s ignored). */
    private static boolean sameDims(Tensor a, Tensor b) {
        for (int i = 0; i < Tensor.MAX_DIMS; i++) {
            if (a.ne(i) != b.ne(i)) return false;
        }
        return true;
    }

    private static int toInt(String op, long v) {
        if (v > Integer.MAX_VALUE - 8) throw iae("%s: size %d is too large for the reference backend", op, v);
        return (int) v;
    }

    private static IllegalArgumentException iae(String format, Object... args) {
        return new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
}
