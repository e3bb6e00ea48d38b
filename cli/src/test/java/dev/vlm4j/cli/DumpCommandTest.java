package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.models.testmodel.LlamaShape;
import dev.vlm4j.models.testmodel.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpCommandTest {

    /** blocks/ffn_down.TYPE.f32 holds llama.cpp's own dequantization of blk.0.ffn_down.weight of llm-TYPE.gguf. */
    @ParameterizedTest
    @ValueSource(strings = {"f16", "q4_0", "q8_0", "q4_k"})
    void dumpEqualsLlamaCppDequantization(String type, @TempDir Path dir) {
        Path out = dir.resolve("ffn_down.f32");
        Cli.Result r = Cli.run("dump", Fixtures.path("tiny-llava/llm-" + type + ".gguf").toString(), "blk.0.ffn_down.weight", "-o", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        float[] expected = Fixtures.readF32(Fixtures.path("tiny-llava/blocks/ffn_down." + type + ".f32"));
        assertThat(expected).hasSize(512 * 256);
        assertSameFloats(Fixtures.readF32(out), expected);
    }

    @Test
    void dumpEqualsCodecDecodingOnMultiBatchTensor(@TempDir Path dir) throws Exception {
        // token_embd [256, 512] in q4_0, decoded by the codec table directly.
        Path model = dir.resolve("tiny.gguf");
        TestModels.write(LlamaShape.TINY, GgmlType.Q4_0, 3, model);
        Path out = dir.resolve("embd.f32");
        Cli.Result r = Cli.run("dump", model.toString(), "token_embd.weight", "-o", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("q4_0[256, 512]");
        try (GgufFile g = GgufFile.open(model)) {
            Tensor t = g.tensor("token_embd.weight");
            assertSameFloats(Fixtures.readF32(out), t.toFloatArray());
        }
        assertThat(Files.size(out)).isEqualTo(4L * 256 * 512);
    }

    @Test
    void smallBatchesWithAPartialLastBatchGiveTheSameBytes(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole.f32"), batched = dir.resolve("batched.f32");
        try (GgufFile g = GgufFile.open(Fixtures.path("tiny-llava/llm-q4_k.gguf"))) {
            Tensor t = g.tensor("blk.1.ffn_down.weight"); // [512, 256]: 256 rows, batches of 3 rows leave 1
            assertThat(DumpCommand.write(t, whole)).isEqualTo(512 * 256);
            assertThat(DumpCommand.write(t, batched, 3 * 512 + 100)).isEqualTo(512 * 256);
            assertSameFloats(Fixtures.readF32(batched), t.toFloatArray());
        }
        assertThat(Files.mismatch(whole, batched)).isEqualTo(-1);
    }

    @Test
    void missingTensorIsOneLineAndExit1(@TempDir Path dir) {
        Cli.Result r = Cli.run("dump", Fixtures.path("tiny-llava/llm-f32.gguf").toString(), "blk.9.nope", "-o", dir.resolve("x.f32").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.errLines()).singleElement().asString().startsWith("vlm4j dump: ").contains("blk.9.nope");
    }

    @Test
    void missingOutputOptionIsUsageError() {
        Cli.Result r = Cli.run("dump", "a.gguf", "t");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("--output");
    }

    /** Bit-exact equality, reporting the first differing index (assertj's element-wise diff is slow on 100k values). */
    static void assertSameFloats(float[] got, float[] expected) {
        assertThat(got.length).isEqualTo(expected.length);
        int i = Arrays.mismatch(got, expected);
        assertThat(i).as(() -> "first difference at " + i + ": " + got[i] + " vs " + expected[i]).isEqualTo(-1);
    }
}
