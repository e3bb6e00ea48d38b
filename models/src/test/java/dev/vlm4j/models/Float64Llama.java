package dev.vlm4j.models;

import dev.vlm4j.core.gguf.GgufFile;
import java.util.HashMap;
import java.util.Map;

/**
 * An independent float64 statement of the LLaMA/Qwen2 forward pass (after
 * ../shared/reference/np_llama.py), on weights dequantized by the codecs: the oracle for
 * architectures and type mixes the llama.cpp fixtures do not cover. Whole prompt, no cache.
 */
final class Float64Llama {
    private final Map<String, double[]> w = new HashMap<>();
    private final Map<String, long[]> shapes = new HashMap<>();
    final int e, layers, heads, kvHeads, ff, vocab, rot;
    final double eps, base;
    final boolean neox;

    Float64Llama(GgufFile f) {
        String arch = f.requireString("general.architecture");
        e = f.requireInt(arch + ".embedding_length");
        layers = f.requireInt(arch + ".block_count");
        heads = f.requireInt(arch + ".attention.head_count");
        kvHeads = f.requireInt(arch + ".attention.head_count_kv");
        ff = f.requireInt(arch + ".feed_forward_length");
        eps = f.requireFloat(arch + ".attention.layer_norm_rms_epsilon");
        base = f.optFloat(arch + ".rope.freq_base").orElse(10000f);
        rot = f.optInt(arch + ".rope.dimension_count").orElse(e / heads);
        neox = arch.equals("qwen2");
        for (var info : f.tensorInfos()) {
            float[] v = f.tensor(info.name()).toFloatArray();
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            w.put(info.name(), d);
            shapes.put(info.name(), info.shape());
        }
        vocab = (int) shapes.get("token_embd.weight")[1];
    }

    /** Logits {@code [T][vocab]} for every prompt position. */
    double[][] forward(int[] tokens) {
        int t = tokens.length, hd = e / heads;
        double[][] x = new double[t][];
        for (int i = 0; i < t; i++) x[i] = row(w.get("token_embd.weight"), tokens[i], e);
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            double[][] h = rms(x, w.get(p + "attn_norm.weight"));
            double[][] q = lin(h, p + "attn_q"), k = lin(h, p + "attn_k"), v = lin(h, p + "attn_v");
            for (int i = 0; i < t; i++) {
                rope(q[i], heads, hd, i);
                rope(k[i], kvHeads, hd, i);
            }
            double[][] o = new double[t][e];
            int group = heads / kvHeads;
            for (int hh = 0; hh < heads; hh++) {
                int kh = hh / group;
                for (int i = 0; i < t; i++) {
                    double[] s = new double[i + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        double dot = 0;
                        for (int d = 0; d < hd; d++) dot += q[i][hh * hd + d] * k[j][kh * hd + d];
                        s[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= i; j++) z += s[j] = Math.exp(s[j] - max);
                    for (int j = 0; j <= i; j++) for (int d = 0; d < hd; d++) o[i][hh * hd + d] += s[j] / z * v[j][kh * hd + d];
                }
            }
            add(x, lin(o, p + "attn_output"));
            h = rms(x, w.get(p + "ffn_norm.weight"));
            double[][] g = lin(h, p + "ffn_gate"), u = lin(h, p + "ffn_up");
            for (int i = 0; i < t; i++) for (int j = 0; j < ff; j++) g[i][j] = g[i][j] / (1 + Math.exp(-g[i][j])) * u[i][j];
            add(x, lin(g, p + "ffn_down"));
        }
        String out = w.containsKey("output.weight") ? "output.weight" : "token_embd.weight";
        double[][] h = rms(x, w.get("output_norm.weight"));
        double[][] logits = new double[t][vocab];
        for (int i = 0; i < t; i++) for (int r = 0; r < vocab; r++) logits[i][r] = dot(w.get(out), r, e, h[i]);
        return logits;
    }

    private void rope(double[] v, int nh, int hd, int pos) {
        for (int h = 0; h < nh; h++) {
            for (int i = 0; i < rot / 2; i++) {
                double theta = pos * Math.pow(base, -2.0 * i / rot);
                int a = neox ? h * hd + i : h * hd + 2 * i, b = neox ? a + rot / 2 : a + 1;
                double x0 = v[a], x1 = v[b];
                v[a] = x0 * Math.cos(theta) - x1 * Math.sin(theta);
                v[b] = x0 * Math.sin(theta) + x1 * Math.cos(theta);
            }
        }
    }

    private double[][] lin(double[][] in, String name) {
        double[] m = w.get(name + ".weight");
        long[] s = shapes.get(name + ".weight");
        int nIn = (int) s[0], nOut = (int) s[1];
        double[] bias = w.get(name + ".bias");
        double[][] out = new double[in.length][nOut];
        for (int i = 0; i < in.length; i++) {
            for (int r = 0; r < nOut; r++) out[i][r] = dot(m, r, nIn, in[i]) + (bias != null ? bias[r] : 0);
        }
        return out;
    }

    private double[][] rms(double[][] x, double[] g) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double ss = 0;
            for (double a : x[i]) ss += a * a;
            double inv = 1 / Math.sqrt(ss / x[i].length + eps);
            out[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) out[i][j] = x[i][j] * inv * g[j];
        }
        return out;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[i].length; j++) x[i][j] += y[i][j];
    }

    private static double dot(double[] m, int r, int n, double[] v) {
        double s = 0;
        for (int i = 0; i < n; i++) s += m[r * n + i] * v[i];
        return s;
    }

    private static double[] row(double[] m, int r, int n) {
        double[] out = new double[n];
        System.arraycopy(m, r * n, out, 0, n);
        return out;
    }
}
