package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufTensorInfo;
import dev.vlm4j.core.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated tiny models against the tiny-llava fixtures, which llama.cpp's tools made in the
 * same layout: same tensor names in the same order, the same type per tensor (as
 * {@code llama-quantize --pure} assigns them), the same metadata keys and file type ids.
 * tiny has the fixture LLM's dimensions (its own synthetic 512-piece vocabulary, context 256); tiny-clip
 * has the fixture mmproj's block count with width 256 instead of 128.
 */
class MakeTestModelCommandTest {
    private static final long SEED = 1234;

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16", "q8_0", "q4_0", "q4_k"})
    void tinyMatchesLlamaCppLayout(String type, @TempDir Path dir) throws Exception {
        Path f = make("tiny", type, dir);
        try (GgufFile got = GgufFile.open(f); GgufFile ref = GgufFile.open(Fixtures.path("tiny-llava/llm-" + type + ".gguf"))) {
            assertThat(got.metadata().keySet()).containsExactlyInAnyOrderElementsOf(ref.metadata().keySet());
            assertThat(got.requireLong("general.file_type")).isEqualTo(ref.requireLong("general.file_type"));
            for (String k : new String[] {"llama.embedding_length", "llama.block_count", "llama.feed_forward_length",
                    "llama.attention.head_count", "llama.attention.head_count_kv", "llama.rope.dimension_count"}) {
                assertThat(got.requireInt(k)).as(k).isEqualTo(ref.requireInt(k));
            }
            assertThat(got.requireFloat("llama.attention.layer_norm_rms_epsilon")).isEqualTo(ref.requireFloat("llama.attention.layer_norm_rms_epsilon"));
            assertThat(got.requireString("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(got.requireInt("llama.vocab_size")).isEqualTo(512).isEqualTo(got.requireStringArray("tokenizer.ggml.tokens").length);

            Map<String, GgmlType> gotTypes = types(got);
            assertThat(gotTypes).isEqualTo(types(ref));
            assertThat(gotTypes.keySet()).containsExactlyElementsOf(types(Fixtures.path("tiny-llava/llm-f32.gguf")).keySet());
            for (GgufTensorInfo t : ref.tensorInfos()) {
                assertThat(got.tensorInfo(t.name()).orElseThrow().shape()).as(t.name()).containsExactly(t.shape());
            }
            checkValues(got);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"f32", "f16", "q8_0", "q4_0"})
    void tinyClipMatchesLlamaCppLayout(String type, @TempDir Path dir) throws Exception {
        Path f = make("tiny-clip", type, dir);
        try (GgufFile got = GgufFile.open(f); GgufFile ref = GgufFile.open(Fixtures.path("tiny-llava/mmproj-" + type + ".gguf"))) {
            assertThat(got.metadata().keySet()).containsExactlyInAnyOrderElementsOf(ref.metadata().keySet());
            assertThat(got.requireLong("general.file_type")).isEqualTo(ref.requireLong("general.file_type"));
            for (String k : new String[] {"clip.projector_type", "clip.vision.image_size", "clip.vision.patch_size",
                    "clip.vision.block_count", "clip.vision.attention.head_count", "clip.use_gelu", "clip.has_llava_projector",
                    "clip.vision.attention.layer_norm_epsilon"}) {
                assertThat(got.get(k)).as(k).isEqualTo(ref.get(k));
            }
            assertThat(got.requireFloatArray("clip.vision.image_mean")).containsExactly(ref.requireFloatArray("clip.vision.image_mean"));
            assertThat(got.requireFloatArray("clip.vision.image_std")).containsExactly(ref.requireFloatArray("clip.vision.image_std"));
            assertThat(types(got)).isEqualTo(types(ref));
            for (GgufTensorInfo t : ref.tensorInfos()) {
                long[] expected = t.shape().clone();
                for (int i = 0; i < expected.length; i++) if (expected[i] == 128) expected[i] = 256; // width 128 -> 256
                assertThat(got.tensorInfo(t.name()).orElseThrow().shape()).as(t.name()).containsExactly(expected);
            }
            checkValues(got);
        }
    }

    @Test
    void tinyClipInQ4K(@TempDir Path dir) throws Exception {
        Path f = make("tiny-clip", "q4_k", dir);
        try (GgufFile got = GgufFile.open(f)) {
            assertThat(got.tensorInfo("v.blk.0.ffn_up.weight").orElseThrow().type()).isEqualTo(GgmlType.Q4_K);
            assertThat(got.tensorInfo("v.patch_embd.weight").orElseThrow().type()).isEqualTo(GgmlType.F16);
            checkValues(got);
        }
    }

    @Test
    void seedDecidesTheBytes(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.gguf"), b = dir.resolve("b.gguf"), c = dir.resolve("c.gguf");
        for (Path p : new Path[] {a, b}) assertThat(Cli.run("make-test-model", "--shape", "tiny", "--type", "q4_0", "--seed", "5", "-o", p.toString()).exitCode()).isZero();
        assertThat(Cli.run("make-test-model", "--shape", "tiny", "--type", "q4_0", "--seed", "6", "-o", c.toString()).exitCode()).isZero();
        assertThat(Files.mismatch(a, b)).isEqualTo(-1);
        assertThat(Files.mismatch(a, c)).isPositive();
    }

    @Test
    void reportsWhatItWrote(@TempDir Path dir) {
        Path f = dir.resolve("t.gguf");
        Cli.Result r = Cli.run("make-test-model", "--shape", "tiny", "-o", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains(f.toString()).contains("tiny in f16").contains("seed 42");
    }

    @Test
    void unwritableOutputIsOneLine(@TempDir Path dir) {
        Path f = dir.resolve("no/such/dir/t.gguf");
        Cli.Result r = Cli.run("make-test-model", "--shape", "tiny", "-o", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("vlm4j make-test-model: ").contains("no/such/dir");
    }

    private static Path make(String shape, String type, Path dir) {
        Path f = dir.resolve(shape + "-" + type + ".gguf");
        Cli.Result r = Cli.run("make-test-model", "--shape", shape, "--type", type, "--seed", Long.toString(SEED), "-o", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return f;
    }

    private static Map<String, GgmlType> types(Path p) throws Exception {
        try (GgufFile g = GgufFile.open(p)) {
            return types(g);
        }
    }

    private static Map<String, GgmlType> types(GgufFile g) {
        Map<String, GgmlType> m = new LinkedHashMap<>();
        for (GgufTensorInfo t : g.tensorInfos()) m.put(t.name(), t.type());
        return m;
    }

    /** Norm weights are 1, biases 0, everything else normal(0, 0.02) (checked loosely after quantization). */
    private static void checkValues(GgufFile g) {
        for (GgufTensorInfo info : g.tensorInfos()) {
            float[] v = g.tensor(info.name()).toFloatArray();
            String n = info.name();
            if (n.endsWith(".bias")) {
                assertThat(allEqual(v, 0f)).as(n + " all zero").isTrue();
            } else if (n.contains("norm") || n.contains("ln")) {
                assertThat(allEqual(v, 1f)).as(n + " all one").isTrue();
            } else {
                double sum = 0, sq = 0;
                for (float x : v) {
                    sum += x;
                    sq += (double) x * x;
                }
                assertThat(Double.isFinite(sq)).as(n + " finite").isTrue();
                double mean = sum / v.length, sd = Math.sqrt(sq / v.length - mean * mean);
                assertThat(Math.abs(mean)).as(n + " mean").isLessThan(5 * 0.02 / Math.sqrt(v.length) + 2e-3);
                assertThat(sd).as(n + " stddev").isBetween(0.016, 0.024);
            }
        }
    }

    private static boolean allEqual(float[] v, float x) {
        for (float f : v) if (f != x) return false;
        return true;
    }
}
