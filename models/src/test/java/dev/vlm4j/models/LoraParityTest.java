package dev.vlm4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.core.testing.Nmse;
import dev.vlm4j.models.lora.AdapterSet;
import dev.vlm4j.models.lora.LoraAdapter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** LoRA (rank 8, alpha 16, user scale 0.75) fused into the decoder's projections, against llama.cpp. */
class LoraParityTest {

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"f32,java", "q8_0,java", "f32,reference"})
    void loraLogitsMatchLlamaCpp(String type, String backend) throws Exception {
        Path ref = Fixtures.path("tiny-llava/ref/" + type + "-lora-text");
        int[] tokens = Fixtures.readI32(ref.resolve("text.tokens.i32"));
        int[] greedy = Fixtures.readI32(ref.resolve("text.greedy.i32"));
        float[] refGreedyLogits = Fixtures.readF32(ref.resolve("text.greedy_logits.f32"));
        try (Vlm model = Vlm.load(Fixtures.path("tiny-llava/llm-" + type + ".gguf"), backend, BackendOptions.threads(2));
             LoraAdapter lora = LoraAdapter.open(Fixtures.path("tiny-llava/lora-r8.gguf"))) {
            lora.validateAgainst(model.file());
            AdapterSet adapters = new AdapterSet(List.of(new AdapterSet.Entry(lora, 0.75f)));
            try (Session s = model.newSession(SessionOptions.defaults().withContextSize(128).withAdapters(adapters))) {
                float[][] all = s.evaluate(tokens, true);
                double nmse = Nmse.of(LlamaParityTest.flatten(all), Fixtures.readF32(ref.resolve("text.logits.f32")));
                double bound = LlamaParityTest.bound(type);
                System.out.printf("lora %s/%s prompt logits NMSE %.3e%n", type, backend, nmse);
                assertThat(nmse).isLessThanOrEqualTo(bound);
                int nVocab = model.llama().config().nVocab();
                for (int step = 0; step < greedy.length; step++) {
                    float[] got = s.evaluate(new int[] {greedy[step]});
                    float[] want = Arrays.copyOfRange(refGreedyLogits, step * nVocab, (step + 1) * nVocab);
                    assertThat(Nmse.of(got, want)).as("step %d", step).isLessThanOrEqualTo(bound);
                }
            }
            // without the adapter the logits must differ clearly: the test would catch LoRA being ignored
            try (Session plain = model.newSession(SessionOptions.defaults().withContextSize(128))) {
                float[][] all = plain.evaluate(tokens, true);
                assertThat(Nmse.of(LlamaParityTest.flatten(all), Fixtures.readF32(ref.resolve("text.logits.f32"))))
                        .isGreaterThan(100 * LlamaParityTest.bound(type));
            }
        }
    }
}
