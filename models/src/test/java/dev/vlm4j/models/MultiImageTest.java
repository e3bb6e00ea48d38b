package dev.vlm4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.models.image.Image;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Several images in one prompt, the per-session embedding cache, and prefix reuse across image positions. */
class MultiImageTest {
    static Image flipped(Image img) {
        byte[] src = img.rgb(), dst = new byte[src.length];
        int w = img.width(), h = img.height();
        for (int y = 0; y < h; y++) System.arraycopy(src, 3 * y * w, dst, 3 * (h - 1 - y) * w, 3 * w);
        return Image.ofRgb(w, h, dst);
    }

    @Test
    void twoImagesEnterAtTheirMarkersAndSecondTurnReusesTheCache() throws Exception {
        Path dir = Fixtures.path("tiny-llava");
        Image a = Image.read(dir.resolve("image.png"));
        Image b = flipped(a);
        try (Vlm vlm = Vlm.load(dir.resolve("llm-f32.gguf"), dir.resolve("mmproj-f32.gguf"), "java", BackendOptions.threads(2));
             Session s = vlm.newSession(SessionOptions.defaults().withContextSize(256))) {
            String prompt = "USER: <image> and <image>\nWhat differs?\nASSISTANT:";
            List<PromptPart> parts = s.promptParts(prompt, List.of(a, b), true, false);
            assertThat(parts).hasSize(5);
            assertThat(parts.get(1)).isInstanceOf(PromptPart.Embeddings.class);
            assertThat(parts.get(3)).isInstanceOf(PromptPart.Embeddings.class);
            assertThat(parts.get(1).length()).isEqualTo(16);
            assertThat(((PromptPart.Embeddings) parts.get(1)).data()).isEqualTo(vlm.embedImage(a));
            assertThat(((PromptPart.Embeddings) parts.get(3)).data()).isNotEqualTo(((PromptPart.Embeddings) parts.get(1)).data());
            // the first text segment carries BOS, later ones do not
            assertThat(((PromptPart.Tokens) parts.get(0)).ids()[0]).isEqualTo(vlm.tokenizer().bos());
            assertThat(((PromptPart.Tokens) parts.get(2)).ids()[0]).isNotEqualTo(vlm.tokenizer().bos());

            GenerationResult first = s.generate(prompt, List.of(a, b), GenerationParams.greedy(4), TokenListener.NONE);
            assertThat(first.promptTokens()).isEqualTo(parts.stream().mapToInt(PromptPart::length).sum());
            GenerationResult second = s.generate(prompt, List.of(a, b), GenerationParams.greedy(4), TokenListener.NONE);
            assertThat(second.reusedTokens()).isEqualTo(first.promptTokens() - 1);
            assertThat(second.tokens()).isEqualTo(first.tokens());
            // a different second image invalidates the cache from its first position on
            GenerationResult third = s.generate(prompt, List.of(a, a), GenerationParams.greedy(4), TokenListener.NONE);
            int beforeSecondImage = parts.get(0).length() + 16 + parts.get(2).length();
            assertThat(third.reusedTokens()).isEqualTo(beforeSecondImage);
        }
    }

    @Test
    void markerCountMustMatchImages() throws Exception {
        Path dir = Fixtures.path("tiny-llava");
        try (Vlm vlm = Vlm.load(dir.resolve("llm-f32.gguf"), dir.resolve("mmproj-f32.gguf"), "java", BackendOptions.threads(2));
             Session s = vlm.newSession(SessionOptions.defaults().withContextSize(64))) {
            Image a = Image.read(dir.resolve("image.png"));
            assertThatThrownBy(() -> s.promptParts("USER: <image> <image>", List.of(a), true, false))
                    .hasMessageContaining("2 <image> markers but 1 images");
        }
        try (Vlm textOnly = Vlm.load(dir.resolve("llm-f32.gguf"), "java", BackendOptions.threads(1));
             Session s = textOnly.newSession(SessionOptions.defaults().withContextSize(64))) {
            Image a = Image.read(dir.resolve("image.png"));
            assertThatThrownBy(() -> s.promptParts("USER: <image>", List.of(a), true, false))
                    .hasMessageContaining("no vision encoder");
        }
    }
}
