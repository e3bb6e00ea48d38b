package dev.vlm4j.core.sampling;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks the next token from logits per {@link SamplerParams}. Stateful only in its RNG (seeded),
 * so one sampler per session gives reproducible streams. Not thread-safe.
 */
public final class Sampler {
    private final SamplerParams params;
    private final SplittableRandom rng;

    public Sampler(SamplerParams params) {
        this.params = params;
        this.rng = new SplittableRandom(params.seed());
    }

    public SamplerParams params() {
        return params;
    }

    /**
     * The next token. {@code logits} (length n_vocab) is not modified; {@code history} holds the
     * tokens so far (prompt and generated), of which the last {@code penaltyLastN} are penalized.
     */
    public int sample(float[] logits, int[] history, int historyLength) {
        float[] l = applyPenalties(logits, history, historyLength);
        if (params.isGreedy()) return argmax(l);
        int[] idx = candidates(l);
        int n = idx.length;
        // top-k: idx is sorted by logit, descending
        if (params.topK() > 0 && params.topK() < n) n = params.topK();
        // probabilities of the survivors (softmax at temperature 1 for top-p / min-p, as llama.cpp does)
        double max = l[idx[0]];
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(l[idx[i]] - max);
            sum += p[i];
        }
        if (params.topP() < 1f) {
            double cum = 0;
            int keep = n;
            for (int i = 0; i < n; i++) {
                cum += p[i] / sum;
                if (cum >= params.topP()) {
                    keep = i + 1;
                    break;
                }
            }
            n = keep;
        }
        if (params.minP() > 0f) {
            double floor = params.minP() * p[0];
            int keep = 1;
            while (keep < n && p[keep] >= floor) keep++;
            n = keep;
        }
        // temperature, then draw
        double t = params.temperature();
        double total = 0;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp((l[idx[i]] - max) / t);
            total += w[i];
        }
        double r = rng.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= w[i];
            if (r < 0) return idx[i];
        }
        return idx[n - 1];
    }

    /** Index of the largest logit; the first one on ties. NaN logits never win. */
    public static int argmax(float[] logits) {
        int best = 0;
        float bestV = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] > bestV) {
                bestV = logits[i];
                best = i;
            }
        }
        return best;
    }

    private float[] applyPenalties(float[] logits, int[] history, int historyLength) {
        boolean any = params.repeatPenalty() != 1f || params.frequencyPenalty() != 0f || params.presencePenalty() != 0f;
        if (!any || params.penaltyLastN() == 0 || historyLength == 0) return logits;
        float[] l = logits.clone();
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = Math.max(0, historyLength - params.penaltyLastN()); i < historyLength; i++) {
            counts.merge(history[i], 1, Integer::sum);
        }
        for (var e : counts.entrySet()) {
            int id = e.getKey();
            if (id < 0 || id >= l.length) continue;
            float v = l[id];
            v = v > 0 ? v / params.repeatPenalty() : v * params.repeatPenalty();
            v -= e.getValue() * params.frequencyPenalty() + params.presencePenalty();
            l[id] = v;
        }
        return l;
    }

    /** All token ids sorted by logit, descending (ties by id); NaN logits excluded. Primitive keys: no boxing. */
    private static int[] candidates(float[] l) {
        long[] keys = new long[l.length];
        int n = 0;
        for (int i = 0; i < l.length; i++) {
            if (Float.isNaN(l[i])) continue;
            int bits = Float.floatToIntBits(l[i]);
            int sortable = bits >= 0 ? bits : bits ^ 0x7fffffff;       // monotone in the float value
            keys[n++] = ((long) ~sortable << 32) | i;                  // ascending key = descending logit, then id
        }
        Arrays.sort(keys, 0, n);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = (int) keys[i];
        return out;
    }
}
