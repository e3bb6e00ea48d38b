package dev.vlm4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.sampling.Sampler;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.core.testing.Nmse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decoder parity with llama.cpp on the tiny-llava text fixtures: all-position prompt logits,
 * teacher-forced greedy-step logits, and greedy ids where the reference's top-2 margin is clear.
 */
class LlamaParityTest {
    /** NMSE bounds from DESIGN.md by weight type. */
    static double bound(String type) {
        return switch (type) {
            case "f32", "f16", "bf16" -> 1e-5;
            default -> 2e-3;
        };
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"f32,java", "f16,java", "q8_0,java", "q4_0,java", "q4_k,java", "q6_k,java", "f32,reference", "q4_k,reference"})
    void textLogitsMatchLlamaCpp(String type, String backend) throws Exception {
        Path ref = Fixtures.path("tiny-llava/ref/" + type + "-text");
        int[] tokens = Fixtures.readI32(ref.resolve("text.tokens.i32"));
        float[] refLogits = Fixtures.readF32(ref.resolve("text.logits.f32"));
        int[] refGreedy = Fixtures.readI32(ref.resolve("text.greedy.i32"));
        float[] refGreedyLogits = Fixtures.readF32(ref.resolve("text.greedy_logits.f32"));
        try (Vlm model = Vlm.load(Fixtures.path("tiny-llava/llm-" + type + ".gguf"), backend, BackendOptions.threads(2));
             Session s = model.newSession(SessionOptions.defaults().withContextSize(128))) {
            int nVocab = model.llama().config().nVocab();
            float[][] all = s.evaluate(tokens, true);
            float[] got = flatten(all);
            double nmse = Nmse.of(got, refLogits);
            System.out.printf("%s/%s prompt logits NMSE %.3e%n", type, backend, nmse);
            assertThat(nmse).as("prompt logits NMSE").isLessThanOrEqualTo(bound(type));

            // Teacher forcing: feed the reference's greedy tokens, compare each step's logits.
            float[] last = all[all.length - 1];
            boolean clear = true;
            float[] prevRef = Arrays.copyOfRange(refLogits, (tokens.length - 1) * nVocab, tokens.length * nVocab);
            for (int step = 0; step < refGreedy.length; step++) {
                if (margin(prevRef) < 0.5f) clear = false;
                if (clear || type.equals("f32") || type.equals("f16")) {
                    assertThat(Sampler.argmax(last)).as("greedy token at step %d", step).isEqualTo(refGreedy[step]);
                }
                last = s.evaluate(new int[] {refGreedy[step]});
                float[] refStep = Arrays.copyOfRange(refGreedyLogits, step * nVocab, (step + 1) * nVocab);
                double stepNmse = Nmse.of(last, refStep);
                assertThat(stepNmse).as("greedy step %d logits NMSE", step).isLessThanOrEqualTo(bound(type));
                prevRef = refStep;
            }
        }
    }

    static float margin(float[] logits) {
        float a = Float.NEGATIVE_INFINITY, b = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            if (v > a) { b = a; a = v; } else if (v > b) b = v;
        }
        return a - b;
    }

    static float[] flatten(float[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
        return out;
    }
}
