package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.core.testing.Nmse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate, tokenize, logits, image-embed and bench, in-process, against the llama.cpp fixtures. */
class ModelCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void generateGreedyMatchesLlamaCppOnStories() {
        Path model = Fixtures.path("stories260K/stories260K.gguf");
        Cli.Result r = Cli.run("generate", "-m", model.toString(), "-p", "Once upon a time, there was a little girl named Lily.",
                "-n", "24", "--temp", "0", "--ids", "--threads", "2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith(" She loved to play outside in the park. One day, she saw a big,");
        int[] want = Fixtures.readI32(Fixtures.path("stories260K/ref-text/text.greedy.i32"));
        String ids = String.join(" ", Arrays.stream(want).mapToObj(Integer::toString).toList());
        assertThat(r.out()).contains("\n" + ids + "\n");
        assertThat(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()).contains("tok/s");
    }

    @Test
    void demoWithoutModelMakesTheLlavaPairAndDescribesThePicture() {
        String old = System.getProperty("vlm4j.cache");
        System.setProperty("vlm4j.cache", tmp.resolve("demo").toString());
        try {
            Cli.Result r = Cli.run("generate", "-n", "4", "--temp", "0", "--ids", "--threads", "2");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("No -m given: using a random-weight LLaVA-shaped demo model")
                    .contains("demo prompt: USER: <image>");
            assertThat(Files.exists(tmp.resolve("demo/tiny-llm-q8_0.gguf"))).isTrue();
            assertThat(Files.exists(tmp.resolve("demo/tiny-mmproj-f16.gguf"))).isTrue();
            // the prompt's 16 image positions were evaluated: 52 positions in all, as the demo prompt has
            assertThat(r.out()).contains("[prompt 52 tokens");
            Cli.Result text = Cli.run("generate", "-n", "2", "--temp", "0", "-p", "Hello");
            assertThat(text.exitCode()).as(text.toString()).isZero();
        } finally {
            if (old == null) System.clearProperty("vlm4j.cache");
            else System.setProperty("vlm4j.cache", old);
        }
    }

    @Test
    void tokenizeMatchesTheFixtureTokens() throws Exception {
        Path model = Fixtures.path("tiny-llava/llm-f32.gguf");
        Cli.Result r = Cli.run("tokenize", "-m", model.toString(), "-p", "The cat looks at the picture of a dog. What is in this image?", "--ids");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        int[] want = Fixtures.readI32(Fixtures.path("tiny-llava/ref/f32-text/text.tokens.i32"));
        assertThat(r.out().strip()).isEqualTo(Arrays.toString(want));

        Path jsonl = tmp.resolve("in.jsonl");
        Files.writeString(jsonl, "\"The cat looks at the picture of a dog. What is in this image?\"\n\"\\nDescribe the image.\\nASSISTANT:\"\n");
        Cli.Result j = Cli.run("tokenize", "-m", model.toString(), "--jsonl", jsonl.toString());
        assertThat(j.exitCode()).as(j.toString()).isZero();
        String[] lines = j.out().split("\n");
        assertThat(lines[0]).isEqualTo(String.join(" ", Arrays.stream(want).mapToObj(Integer::toString).toList()));
        int[] suffix = Fixtures.readI32(Fixtures.path("tiny-llava/ref/f32-mm/mm.suffix.i32"));
        // mm.suffix has no BOS; the jsonl line got one
        assertThat(lines[1]).isEqualTo("1 " + String.join(" ", Arrays.stream(suffix).mapToObj(Integer::toString).toList()));
    }

    @Test
    void logitsAllPositionsMatchLlamaCpp() throws Exception {
        Path out = tmp.resolve("logits.f32");
        Cli.Result r = Cli.run("logits", "-m", Fixtures.path("tiny-llava/llm-f16.gguf").toString(),
                "-p", "The cat looks at the picture of a dog. What is in this image?", "-o", out.toString(), "--all");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        float[] got = Fixtures.readF32(out);
        float[] want = Fixtures.readF32(Fixtures.path("tiny-llava/ref/f16-text/text.logits.f32"));
        assertThat(got).hasSameSizeAs(want);
        assertThat(Nmse.of(got, want)).isLessThan(1e-5);
    }

    @Test
    void multimodalLogitsAndImageEmbedMatchLlamaCpp() throws Exception {
        Path dir = Fixtures.path("tiny-llava");
        Path embd = tmp.resolve("embd.f32");
        Cli.Result e = Cli.run("image-embed", "--mmproj", dir.resolve("mmproj-f32.gguf").toString(), "--image",
                dir.resolve("image.png").toString(), "-o", embd.toString());
        assertThat(e.exitCode()).as(e.toString()).isZero();
        assertThat(Nmse.of(Fixtures.readF32(embd), Fixtures.readF32(dir.resolve("ref/f32-mm/image.embd.f32")))).isLessThan(1e-5);

        Path out = tmp.resolve("mm.f32");
        Cli.Result r = Cli.run("logits", "-m", dir.resolve("llm-f32.gguf").toString(), "--mmproj", dir.resolve("mmproj-f32.gguf").toString(),
                "--image", dir.resolve("image.png").toString(), "-p", "USER: <image>\\nDescribe the image.\\nASSISTANT:", "-o", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Nmse.of(Fixtures.readF32(out), Fixtures.readF32(dir.resolve("ref/f32-mm/mm.logits.f32")))).isLessThan(1e-5);
    }

    @Test
    void imageWithoutMarkerOrMmprojIsABadInputError() {
        Path dir = Fixtures.path("tiny-llava");
        Cli.Result r = Cli.run("generate", "-m", dir.resolve("llm-f32.gguf").toString(), "--mmproj", dir.resolve("mmproj-f32.gguf").toString(),
                "--image", dir.resolve("image.png").toString(), "-p", "no marker here");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("0 <image> markers but 1 images");
        Cli.Result bad = Cli.run("image-embed", "--mmproj", dir.resolve("mmproj-f32.gguf").toString(), "--image",
                dir.resolve("llm-f32.gguf").toString(), "-o", tmp.resolve("x").toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("not a PNG, JPEG, BMP or GIF");
    }

    @Test
    void benchReportsPpTgAndFloorsAsJson() {
        Path model = Fixtures.path("stories260K/stories260K.gguf");
        Cli.Result r = Cli.run("bench", "-m", model.toString(), "-p", "32", "-n", "8", "-r", "1", "--json", "--threads", "2",
                "--mmproj", Fixtures.path("tiny-llava/mmproj-f16.gguf").toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Object parsed = Json.parse(r.out().strip());
        assertThat(parsed).isInstanceOf(java.util.Map.class);
        var m = (java.util.Map<?, ?>) parsed;
        assertThat(((Number) m.get("pp")).doubleValue()).isPositive();
        assertThat(((Number) m.get("tg")).doubleValue()).isPositive();
        assertThat(((Number) m.get("read_bandwidth_gbs")).doubleValue()).isPositive();
        assertThat(((Number) m.get("image_encode_ms")).doubleValue()).isPositive();
    }
}
