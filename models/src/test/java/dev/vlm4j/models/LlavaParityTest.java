package dev.vlm4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.sampling.Sampler;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.core.testing.Nmse;
import dev.vlm4j.models.image.Image;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Multimodal parity with llama.cpp's LLaVA-1.5 path: projector output for the fixture image, the
 * logits after {@code USER: <image>\nDescribe the image.\nASSISTANT:}, and the greedy continuation.
 */
class LlavaParityTest {

    @ParameterizedTest(name = "{0}: llm-{1} + mmproj-{2} on {3}")
    @CsvSource({
            "tiny-llava,f32,f32,java", "tiny-llava,f16,f16,java", "tiny-llava,q8_0,q8_0,java", "tiny-llava,q4_0,q4_0,java",
            "tiny-llava,q4_k,f32,java", "tiny-llava,q6_k,f32,java", "tiny-llava,f32,f32,reference",
            "tiny-mobilevlm,f32,f32,java", "tiny-mobilevlm,f16,f16,java"})
    void imageEmbeddingsLogitsAndGreedyMatch(String fixture, String llmType, String projType, String backend) throws Exception {
        Path ref = Fixtures.path(fixture + "/ref/" + llmType + "-mm");
        Path llm = Fixtures.path("tiny-llava/llm-" + llmType + ".gguf");
        Path mmproj = Fixtures.path(fixture + "/mmproj-" + projType + ".gguf");
        Image image = Image.read(Fixtures.path(fixture + "/image.png"));
        try (Vlm model = Vlm.load(llm, mmproj, backend, BackendOptions.threads(2));
             Session s = model.newSession(SessionOptions.defaults().withContextSize(256))) {
            float[] embd = model.embedImage(image);
            double embdNmse = Nmse.of(embd, Fixtures.readF32(ref.resolve("image.embd.f32")));
            // the mmproj weight type decides the embedding bound
            double embdBound = projType.startsWith("f") ? 1e-5 : 2e-3;
            System.out.printf("%s %s/%s %s image embeddings NMSE %.3e%n", fixture, llmType, projType, backend, embdNmse);
            assertThat(embdNmse).as("image embeddings NMSE").isLessThanOrEqualTo(embdBound);

            List<PromptPart> parts = new ArrayList<>();
            parts.add(new PromptPart.Tokens(Fixtures.readI32(ref.resolve("mm.prefix.i32"))));
            parts.add(new PromptPart.Embeddings(embd, model.llama().config().nEmbd(), image.contentHash()));
            parts.add(new PromptPart.Tokens(Fixtures.readI32(ref.resolve("mm.suffix.i32"))));
            float[] logits = s.evaluate(parts, 0, false)[0];
            float[] refLogits = Fixtures.readF32(ref.resolve("mm.logits.f32"));
            double nmse = Nmse.of(logits, refLogits);
            boolean floatWeights = llmType.startsWith("f") && projType.startsWith("f");
            System.out.printf("  mm logits NMSE %.3e%n", nmse);
            assertThat(nmse).as("logits NMSE").isLessThanOrEqualTo(floatWeights ? 1e-5 : 2e-3);

            int[] greedy = Fixtures.readI32(ref.resolve("mm.greedy.i32"));
            if (floatWeights) {
                for (int step = 0; step < greedy.length; step++) {
                    assertThat(Sampler.argmax(logits)).as("greedy token %d", step).isEqualTo(greedy[step]);
                    logits = s.evaluate(new int[] {greedy[step]});
                }
            } else if (LlamaParityTest.margin(refLogits) >= 0.5f) {
                assertThat(Sampler.argmax(logits)).as("first greedy token (clear margin)").isEqualTo(greedy[0]);
            }
        }
    }
}
