package dev.vlm4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.core.testing.Nmse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** stories260K, a real trained model: llama.cpp's logits and greedy text, and concurrent sessions. */
class StoriesTest {
    static final String PROMPT = "Once upon a time, there was a little girl named Lily.";
    /** The continuation the fixtures README gives (llama.cpp, greedy). */
    static final String CONTINUATION = " She loved to play outside in the park. One day, she saw a big,";

    @Test
    void greedyContinuationAndLogitsMatchLlamaCpp() throws Exception {
        Path dir = Fixtures.path("stories260K");
        try (Vlm model = Vlm.load(dir.resolve("stories260K.gguf"), "java", BackendOptions.threads(2));
             Session s = model.newSession(SessionOptions.defaults().withContextSize(256))) {
            int[] tokens = model.tokenizer().encode(PROMPT, true, false);
            assertThat(tokens).isEqualTo(Fixtures.readI32(dir.resolve("ref-text/text.tokens.i32")));
            float[][] all = s.evaluate(tokens, true);
            double nmse = Nmse.of(LlamaParityTest.flatten(all), Fixtures.readF32(dir.resolve("ref-text/text.logits.f32")));
            System.out.printf("stories260K prompt logits NMSE %.3e%n", nmse);
            assertThat(nmse).isLessThanOrEqualTo(1e-5);
            s.reset();
            GenerationResult r = s.generate(PROMPT, GenerationParams.greedy(24), TokenListener.NONE);
            assertThat(r.tokens()).isEqualTo(Fixtures.readI32(dir.resolve("ref-text/text.greedy.i32")));
            assertThat(r.text()).startsWith(CONTINUATION);
        }
    }

    @Test
    void stopStringEndsGenerationAndIsNeverStreamed() throws Exception {
        try (Vlm model = Vlm.load(Fixtures.path("stories260K/stories260K.gguf"), "java", BackendOptions.threads(2));
             Session s = model.newSession(SessionOptions.defaults().withContextSize(128))) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = s.generate(PROMPT, GenerationParams.greedy(24).withStopStrings(List.of(" park")),
                    (id, text) -> { streamed.append(text); return true; });
            assertThat(r.stopReason()).isEqualTo(GenerationResult.StopReason.STOP_STRING);
            assertThat(r.text()).isEqualTo(" She loved to play outside in the");
            assertThat(streamed.toString()).isEqualTo(r.text());
        }
    }

    @Test
    void listenerCanCancel() throws Exception {
        try (Vlm model = Vlm.load(Fixtures.path("stories260K/stories260K.gguf"), "java", BackendOptions.threads(2));
             Session s = model.newSession(SessionOptions.defaults().withContextSize(128))) {
            int[] calls = {0};
            GenerationResult r = s.generate(PROMPT, GenerationParams.greedy(24), (id, text) -> ++calls[0] < 3);
            assertThat(r.stopReason()).isEqualTo(GenerationResult.StopReason.CANCELLED);
            assertThat(r.tokens()).hasSize(3);
        }
    }

    @Test
    void contextFullIsAClearError() throws Exception {
        try (Vlm model = Vlm.load(Fixtures.path("stories260K/stories260K.gguf"), "java", BackendOptions.threads(2));
             Session s = model.newSession(SessionOptions.defaults().withContextSize(8))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.generate(PROMPT, GenerationParams.greedy(4), TokenListener.NONE))
                    .isInstanceOf(dev.vlm4j.core.kv.ContextFullException.class).hasMessageContaining("context full");
        }
    }

    @Test
    void concurrentSessionsMatchSequentialOnes() throws Exception {
        Path model = Fixtures.path("stories260K/stories260K.gguf");
        String[] prompts = {PROMPT, "Tom had a red ball.", "The sun was hot and the dog was sleepy.", "One day"};
        try (Vlm vlm = Vlm.load(model, "java", BackendOptions.threads(2))) {
            List<String> sequential = new ArrayList<>();
            for (String p : prompts) {
                try (Session s = vlm.newSession(SessionOptions.defaults().withContextSize(128))) {
                    sequential.add(s.generate(p, GenerationParams.greedy(20), TokenListener.NONE).text());
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(prompts.length);
            try {
                List<Future<String>> futures = new ArrayList<>();
                for (String p : prompts) {
                    futures.add(pool.submit(() -> {
                        try (Session s = vlm.newSession(SessionOptions.defaults().withContextSize(128))) {
                            return s.generate(p, GenerationParams.greedy(20), TokenListener.NONE).text();
                        }
                    }));
                }
                for (int i = 0; i < prompts.length; i++) assertThat(futures.get(i).get()).isEqualTo(sequential.get(i));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void secondTurnReusesTheCachedPrefix() throws Exception {
        try (Vlm vlm = Vlm.load(Fixtures.path("stories260K/stories260K.gguf"), "java", BackendOptions.threads(2));
             Session s = vlm.newSession(SessionOptions.defaults().withContextSize(256));
             Session fresh = vlm.newSession(SessionOptions.defaults().withContextSize(256))) {
            GenerationResult first = s.generate(PROMPT, GenerationParams.greedy(8), TokenListener.NONE);
            String turn2 = PROMPT + first.text() + " Her mom said";
            GenerationResult second = s.generate(turn2, GenerationParams.greedy(8), TokenListener.NONE);
            assertThat(second.reusedTokens()).isGreaterThan(10);
            GenerationResult reference = fresh.generate(turn2, GenerationParams.greedy(8), TokenListener.NONE);
            assertThat(second.tokens()).isEqualTo(reference.tokens());
        }
    }
}
