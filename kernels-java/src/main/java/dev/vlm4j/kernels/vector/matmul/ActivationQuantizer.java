package dev.vlm4j.kernels.vector.matmul;

/**
 * Quantizes an activation row (x {@code [n_in]} float32) into ggml's 8-bit dot types, the same
 * way ggml's reference quantizers do, so that integer dot products see what llama.cpp's see.
 */
final class ActivationQuantizer {
    private ActivationQuantizer() {}

    /** Fills {@code a.q}, {@code a.d} (and {@code a.s}, {@code a.bsums}) from {@code a.f[0 .. a.n)} for {@code format}. */
    static void quantize(Activations a, ActivationFormat format) {
        a.format = format;
        switch (format) {
            case F32 -> { }
            case Q8_0 -> q8(a, false);
            case Q8_1 -> q8(a, true);
            case Q8_K -> q8k(a);
        }
        if (format != ActivationFormat.F32) {
            for (int i = 0; i < a.n; i++) {
                a.qi[i] = a.q[i];
                a.qs[i] = a.q[i];
            }
        }
    }

    /** ggml's roundf: halves away from zero. */
    private static int roundAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    private static void q8(Activations a, boolean withSum) {
        float[] x = a.f;
        for (int b = 0, nb = a.n / 32; b < nb; b++) {
            int o = b * 32;
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
            float d = amax / 127;
            float id = d != 0 ? 1 / d : 0;
            int sum = 0;
            for (int j = 0; j < 32; j++) {
                int v = roundAway(x[o + j] * id);
                a.q[o + j] = (byte) v;
                sum += v;
            }
            // ggml stores the scale (and the sum) as f16
            a.d[b] = Float.float16ToFloat(Float.floatToFloat16(d));
            a.qsum[b] = sum;
            a.s[b] = withSum ? Float.float16ToFloat(Float.floatToFloat16(sum * d)) : 0;
        }
    }

    private static void q8k(Activations a) {
        float[] x = a.f;
        for (int b = 0, nb = a.n / 256; b < nb; b++) {
            int o = b * 256;
            float amax = 0, max = 0;
            for (int j = 0; j < 256; j++) {
                float ax = Math.abs(x[o + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[o + j];
                }
            }
            if (amax == 0) {
                a.d[b] = 0;
                for (int j = 0; j < 256; j++) a.q[o + j] = 0;
                for (int j = 0; j < 16; j++) a.bsums[b * 16 + j] = 0;
                continue;
            }
            // the signed extreme maps to -127 exactly, as in ggml
            float iscale = -127f / max;
            for (int j = 0; j < 256; j++) {
                a.q[o + j] = (byte) Math.min(127, (int) Math.rint(iscale * x[o + j]));
            }
            for (int j = 0; j < 16; j++) {
                int sum = 0;
                for (int k = 0; k < 16; k++) sum += a.q[o + 16 * j + k];
                a.bsums[b * 16 + j] = sum;
            }
            a.d[b] = 1 / iscale;
        }
    }
}
