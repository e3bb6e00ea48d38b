package dev.vlm4j.models.clip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.backend.Backend;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Backends;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@code mlp_norm} projector (Yi-VL style: mm.0 → LayerNorm mm.1 → GELU → mm.3 → LayerNorm mm.4),
 * which no llama.cpp fixture covers, against a float64 statement of those steps (after
 * ../shared/reference/np_clip.py).
 */
class MlpNormProjectorTest {
    static final long SEED = 77;

    @Test
    void matchesFloat64() {
        int e = 64, p = 96, t = 9;   // ViT width, projector width, patches
        float eps = 1e-5f;
        Random r = new Random(SEED);
        try (Arena a = Arena.ofShared(); Backend be = Backends.select("java", BackendOptions.threads(2))) {
            Tensor w0 = rand(a, r, 0, 0.1, e, p), b0 = rand(a, r, 0, 0.1, p), n1w = rand(a, r, 1, 0.3, p), n1b = rand(a, r, 0, 0.1, p);
            Tensor w3 = rand(a, r, 0, 0.1, p, p), b3 = rand(a, r, 0, 0.1, p), n4w = rand(a, r, 1, 0.3, p), n4b = rand(a, r, 0, 0.1, p);
            Tensor x = rand(a, r, 0, 1.0, e, t);
            Tensor out = Tensor.f32(a, p, t);
            new Projector.MlpNorm(w0, b0, n1w, n1b, w3, b3, n4w, n4b, t, eps).apply(be, x, out);

            double[][] h = linear(x, w0, b0, e, p, t);
            layerNorm(h, n1w, n1b, eps);
            for (double[] row : h) for (int i = 0; i < p; i++) row[i] = 0.5 * row[i] * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (row[i] + 0.044715 * Math.pow(row[i], 3))));
            double[][] y = linear(toTensor(a, h, p, t), w3, b3, p, p, t);
            layerNorm(y, n4w, n4b, eps);
            double num = 0, den = 0;
            for (int j = 0; j < t; j++) {
                for (int i = 0; i < p; i++) {
                    double d = out.getFloat((long) j * p + i) - y[j][i];
                    num += d * d;
                    den += y[j][i] * y[j][i];
                }
            }
            System.out.printf("mlp_norm projector NMSE vs float64 %.3e (seed %d)%n", num / den, SEED);
            assertThat(num / den).isLessThan(1e-9);
        }
    }

    /** normal(mean, std) values: norm weights get mean 1. */
    static Tensor rand(Arena a, Random r, double mean, double std, long... shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + std * r.nextGaussian());
        return Tensor.f32(a, v, shape);
    }

    /** rows j of x [nIn, t] times W [nIn, nOut] (ggml order) plus b. */
    static double[][] linear(Tensor x, Tensor w, Tensor b, int nIn, int nOut, int t) {
        double[][] out = new double[t][nOut];
        for (int j = 0; j < t; j++) {
            for (int o = 0; o < nOut; o++) {
                double s = b.getFloat(o);
                for (int i = 0; i < nIn; i++) s += (double) w.getFloat((long) o * nIn + i) * x.getFloat((long) j * nIn + i);
                out[j][o] = s;
            }
        }
        return out;
    }

    /** The float64 rows as a float32 tensor: the second linear's input is what the first produced. */
    static Tensor toTensor(Arena a, double[][] h, int n, int t) {
        float[] v = new float[n * t];
        for (int j = 0; j < t; j++) for (int i = 0; i < n; i++) v[j * n + i] = (float) h[j][i];
        return Tensor.f32(a, v, n, t);
    }

    static void layerNorm(double[][] h, Tensor w, Tensor b, float eps) {
        for (double[] row : h) {
            double m = 0, v = 0;
            for (double d : row) m += d;
            m /= row.length;
            for (double d : row) v += (d - m) * (d - m);
            v /= row.length;
            for (int i = 0; i < row.length; i++) row[i] = (row[i] - m) / Math.sqrt(v + eps) * w.getFloat(i) + b.getFloat(i);
        }
    }
}
