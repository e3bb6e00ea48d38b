package dev.vlm4j.core.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each sampling stage against the distribution it should produce (seeded draws, counted). */
class SamplerTest {
    static final float[] LOGITS = {2f, 1f, 0.5f, 0f, -1f, 3f, -2f, 1.5f};   // order by value: 5, 0, 7, 1, 2, 3, 4, 6

    static Map<Integer, Integer> draw(SamplerParams p, int n) {
        Sampler s = new Sampler(p);
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) counts.merge(s.sample(LOGITS, new int[0], 0), 1, Integer::sum);
        return counts;
    }

    @Test
    void greedyIsArgmaxWithFirstIndexOnTies() {
        assertThat(new Sampler(SamplerParams.greedy()).sample(LOGITS, new int[0], 0)).isEqualTo(5);
        assertThat(Sampler.argmax(new float[] {1, 3, 3, 2})).isEqualTo(1);
        assertThat(Sampler.argmax(new float[] {Float.NaN, -5, Float.NaN})).isEqualTo(1);
    }

    @Test
    void temperatureOneMatchesSoftmax() {
        int n = 200_000;
        Map<Integer, Integer> c = draw(new SamplerParams(1f, 0, 1f, 0f, 1f, 0f, 0f, 64, 7), n);
        double z = 0;
        for (float l : LOGITS) z += Math.exp(l);
        for (int i = 0; i < LOGITS.length; i++) {
            double p = Math.exp(LOGITS[i]) / z;
            double got = c.getOrDefault(i, 0) / (double) n;
            assertThat(Math.abs(got - p)).as("token %d: p=%.4f got=%.4f (seed 7)", i, p, got).isLessThan(4 * Math.sqrt(p * (1 - p) / n) + 1e-4);
        }
    }

    @Test
    void topKKeepsOnlyTheKMostLikely() {
        Map<Integer, Integer> c = draw(new SamplerParams(1f, 2, 1f, 0f, 1f, 0f, 0f, 64, 1), 5000);
        assertThat(c.keySet()).containsExactlyInAnyOrder(5, 0);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // probabilities: token 5 ≈ 0.47, token 0 ≈ 0.17, token 7 ≈ 0.10 ...: 0.6 needs {5, 0}
        Map<Integer, Integer> c = draw(new SamplerParams(1f, 0, 0.6f, 0f, 1f, 0f, 0f, 64, 2), 5000);
        assertThat(c.keySet()).containsExactlyInAnyOrder(5, 0);
    }

    @Test
    void minPDropsTokensBelowAFractionOfTheBest() {
        // p(t)/p(best) = exp(l - 3): keep l >= 3 + ln(0.3) = 1.796 -> tokens 5 and 0
        Map<Integer, Integer> c = draw(new SamplerParams(1f, 0, 1f, 0.3f, 1f, 0f, 0f, 64, 3), 5000);
        assertThat(c.keySet()).containsExactlyInAnyOrder(5, 0);
    }

    @Test
    void lowTemperatureConcentratesOnTheBest() {
        Map<Integer, Integer> c = draw(new SamplerParams(0.05f, 0, 1f, 0f, 1f, 0f, 0f, 64, 4), 2000);
        assertThat(c.get(5)).isGreaterThan(1990);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogits() {
        // token 5 (logit 3) penalized by 2 -> 1.5, below token 0 (2): greedy picks 0
        SamplerParams p = SamplerParams.greedy().withPenalties(2f, 0f, 0f, 64);
        assertThat(new Sampler(p).sample(LOGITS, new int[] {5}, 1)).isEqualTo(0);
        // frequency 0.4 x 3 occurrences + presence 0.5 -> 3 - 1.7 = 1.3 < 2
        SamplerParams q = SamplerParams.greedy().withPenalties(1f, 0.4f, 0.5f, 64);
        assertThat(new Sampler(q).sample(LOGITS, new int[] {5, 5, 5}, 3)).isEqualTo(0);
        // outside the window the penalty does not apply
        SamplerParams r = SamplerParams.greedy().withPenalties(2f, 0f, 0f, 1);
        assertThat(new Sampler(r).sample(LOGITS, new int[] {5, 1}, 2)).isEqualTo(5);
    }

    @Test
    void sameSeedSameStream() {
        SamplerParams p = SamplerParams.defaults(12345);
        Sampler a = new Sampler(p), b = new Sampler(p);
        for (int i = 0; i < 100; i++) assertThat(a.sample(LOGITS, new int[0], 0)).isEqualTo(b.sample(LOGITS, new int[0], 0));
    }
}
