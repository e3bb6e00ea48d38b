package dev.vlm4j.core.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.core.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every llama.cpp-made GGUF under the fixtures opens, with the tensor counts, types and shapes
 * the fixtures README documents (checked against an independent header dump made while writing
 * this test), and every tensor's view holds exactly the file's bytes at dataOffset + offset.
 */
class GgufFixturesTest {

    static List<Path> allFixtures() throws IOException {
        try (Stream<Path> s = Files.walk(Fixtures.root())) {
            return s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
    }

    @Test
    void everyFixtureOpensAndTensorViewsMatchTheFileBytes() throws IOException {
        List<Path> files = allFixtures();
        assertThat(files).as("fixture GGUFs").hasSizeGreaterThanOrEqualTo(17);
        for (Path p : files) {
            byte[] raw = Files.readAllBytes(p);
            MemorySegment rawSeg = MemorySegment.ofArray(raw);
            try (GgufFile f = GgufFile.open(p)) {
                assertThat(f.version()).as(p.toString()).isEqualTo(3);
                assertThat(f.alignment()).isEqualTo(32);
                assertThat(f.dataOffset() % 32).isZero();
                assertThat(f.fileSize()).isEqualTo(raw.length);
                assertThat(f.requireString("general.architecture")).isNotBlank();
                for (GgufTensorInfo info : f.tensorInfos()) {
                    Tensor t = f.tensor(info.name());
                    assertThat(t.type()).isEqualTo(info.type());
                    assertThat(t.shape()).isEqualTo(info.shape());
                    assertThat(t.byteSize()).isEqualTo(info.bytes());
                    long at = f.dataOffset() + info.offset();
                    assertThat(t.data().mismatch(rawSeg.asSlice(at, info.bytes())))
                            .as("%s %s bytes", p.getFileName(), info.name()).isEqualTo(-1L);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"f32,F32", "f16,F16", "q8_0,Q8_0", "q4_0,Q4_0", "q4_k,Q4_K", "q6_k,Q6_K"})
    void tinyLlavaLlm(String suffix, GgmlType weightType) throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.path("tiny-llava/llm-" + suffix + ".gguf"))) {
            assertThat(f.requireString("general.architecture")).isEqualTo("llama");
            assertThat(f.requireInt("llama.embedding_length")).isEqualTo(256);
            assertThat(f.requireInt("llama.feed_forward_length")).isEqualTo(512);
            assertThat(f.requireInt("llama.attention.head_count")).isEqualTo(4);
            assertThat(f.requireInt("llama.attention.head_count_kv")).isEqualTo(2);
            assertThat(f.requireInt("llama.block_count")).isEqualTo(2);
            assertThat(f.requireInt("llama.context_length")).isEqualTo(512);
            assertThat(f.requireString("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(f.requireStringArray("tokenizer.ggml.tokens")).hasSize(512);
            assertThat(f.requireFloatArray("tokenizer.ggml.scores")).hasSize(512);
            assertThat(f.requireIntArray("tokenizer.ggml.token_type")).hasSize(512);

            // 2 layers x 9 tensors + token_embd, output_norm, output; norms stay F32 (--pure).
            assertThat(f.tensorInfos()).hasSize(21);
            Map<GgmlType, Long> byType = f.tensorInfos().stream()
                    .collect(Collectors.groupingBy(GgufTensorInfo::type, Collectors.counting()));
            if (weightType == GgmlType.F32) {
                assertThat(byType).containsExactly(Map.entry(GgmlType.F32, 21L));
            } else {
                assertThat(byType).containsOnly(Map.entry(weightType, 16L), Map.entry(GgmlType.F32, 5L));
            }
            for (GgufTensorInfo t : f.tensorInfos()) {
                assertThat(t.type()).as(t.name()).isEqualTo(t.name().endsWith("norm.weight") ? GgmlType.F32 : weightType);
            }
            assertShape(f, "token_embd.weight", weightType, 256, 512);
            assertShape(f, "output.weight", weightType, 256, 512);
            assertShape(f, "output_norm.weight", GgmlType.F32, 256);
            assertShape(f, "blk.1.attn_q.weight", weightType, 256, 256);
            assertShape(f, "blk.1.attn_k.weight", weightType, 256, 128);
            assertShape(f, "blk.0.attn_v.weight", weightType, 256, 128);
            assertShape(f, "blk.0.ffn_up.weight", weightType, 256, 512);
            assertShape(f, "blk.0.ffn_down.weight", weightType, 512, 256);
            assertShape(f, "blk.0.attn_norm.weight", GgmlType.F32, 256);
        }
    }

    @ParameterizedTest
    @CsvSource({"f32,F32", "f16,F16", "q8_0,Q8_0", "q4_0,Q4_0"})
    void tinyLlavaMmproj(String suffix, GgmlType weightType) throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.path("tiny-llava/mmproj-" + suffix + ".gguf"))) {
            assertThat(f.requireString("general.architecture")).isEqualTo("clip");
            assertThat(f.requireString("clip.projector_type")).isEqualTo("mlp");
            assertThat(f.requireInt("clip.vision.image_size")).isEqualTo(56);
            assertThat(f.requireInt("clip.vision.patch_size")).isEqualTo(14);
            assertThat(f.requireInt("clip.vision.embedding_length")).isEqualTo(128);
            assertThat(f.requireInt("clip.vision.block_count")).isEqualTo(3);
            assertThat(f.requireBool("clip.use_gelu")).isFalse();
            assertThat(f.requireFloatArray("clip.vision.image_mean")).hasSize(3);
            // patch embedding + class embedding + position embedding + pre-LN (2)
            // + 3 layers x 16 + 2 projector layers x 2
            assertThat(f.tensorInfos()).hasSize(57);
            for (GgufTensorInfo t : f.tensorInfos()) {
                GgmlType expected = t.name().equals("v.patch_embd.weight") ? GgmlType.F16
                        : t.name().endsWith(".bias") || t.name().contains("ln") || t.name().equals("v.class_embd") ? GgmlType.F32
                        : weightType;
                assertThat(t.type()).as(t.name()).isEqualTo(expected);
            }
            assertShape(f, "v.patch_embd.weight", GgmlType.F16, 14, 14, 3, 128);
            assertShape(f, "v.class_embd", GgmlType.F32, 128);
            assertShape(f, "v.position_embd.weight", weightType, 128, 17);
            assertShape(f, "v.blk.2.ffn_up.weight", weightType, 512, 128);
            assertShape(f, "mm.0.weight", weightType, 128, 256);
            assertShape(f, "mm.2.weight", weightType, 256, 256);
            assertShape(f, "mm.2.bias", GgmlType.F32, 256);
        }
    }

    @Test
    void mobileVlmProjector() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.path("tiny-mobilevlm/mmproj-f16.gguf"))) {
            assertThat(f.requireString("clip.projector_type")).isEqualTo("ldpv2");
            assertThat(f.requireInt("clip.vision.image_size")).isEqualTo(336);
            assertThat(f.tensorInfos()).hasSize(59);
            assertShape(f, "v.patch_embd.weight", GgmlType.F16, 14, 14, 3, 64);
            // 24x24 patches + class token
            assertShape(f, "v.position_embd.weight", GgmlType.F16, 64, 577);
            // depthwise 3x3 convolution over 256 channels
            assertShape(f, "mm.model.peg.0.weight", GgmlType.F16, 3, 3, 1, 256);
        }
    }

    @Test
    void stories260K() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.path("stories260K/stories260K.gguf"))) {
            assertThat(f.requireInt("llama.embedding_length")).isEqualTo(64);
            assertThat(f.requireInt("llama.block_count")).isEqualTo(5);
            assertThat(f.requireInt("llama.attention.head_count")).isEqualTo(8);
            assertThat(f.requireInt("llama.attention.head_count_kv")).isEqualTo(4);
            assertThat(f.tensorInfos()).hasSize(3 + 5 * 9).allMatch(t -> t.type() == GgmlType.F32);
            assertShape(f, "token_embd.weight", GgmlType.F32, 64, 512);
            assertShape(f, "blk.4.attn_k.weight", GgmlType.F32, 64, 32);
        }
    }

    @Test
    void loraAdapter() throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.path("tiny-llava/lora-r8.gguf"))) {
            assertThat(f.requireString("general.type")).isEqualTo("adapter");
            assertThat(f.requireString("adapter.type")).isEqualTo("lora");
            assertThat(f.requireFloat("adapter.lora.alpha")).isEqualTo(16f);
            // attn_q, attn_v, ffn_up, ffn_down of 2 layers, A and B each
            assertThat(f.tensorInfos()).hasSize(16).allMatch(t -> t.type() == GgmlType.F32);
            assertShape(f, "blk.0.attn_q.weight.lora_a", GgmlType.F32, 256, 8);
            assertShape(f, "blk.0.attn_q.weight.lora_b", GgmlType.F32, 8, 256);
            assertShape(f, "blk.1.ffn_down.weight.lora_a", GgmlType.F32, 512, 8);
        }
    }

    @ParameterizedTest
    @CsvSource({"gpt-2,gpt2,50257", "llama-spm,llama,32000", "bert-bge,bert,30522"})
    void vocabOnlyFiles(String name, String model, int vocab) throws IOException {
        try (GgufFile f = GgufFile.open(Fixtures.path("vocab/ggml-vocab-" + name + ".gguf"))) {
            assertThat(f.tensorInfos()).isEmpty();
            assertThat(f.requireString("tokenizer.ggml.model")).isEqualTo(model);
            assertThat(f.requireStringArray("tokenizer.ggml.tokens")).hasSize(vocab);
            assertThat(f.requireIntArray("tokenizer.ggml.token_type")).hasSize(vocab);
            // a vocab-only file ends right after its header, before the aligned data offset
            assertThat(f.dataOffset()).isGreaterThanOrEqualTo(f.fileSize());
        }
        if (name.equals("gpt-2")) {
            try (GgufFile f = GgufFile.open(Fixtures.path("vocab/ggml-vocab-gpt-2.gguf"))) {
                String[] merges = f.requireStringArray("tokenizer.ggml.merges");
                assertThat(merges).hasSize(50000);
                assertThat(merges[0]).isEqualTo("\u0120 t");
            }
        }
    }

    private static void assertShape(GgufFile f, String name, GgmlType type, long... shape) {
        Tensor t = f.tensor(name);
        assertThat(t.type()).as(name).isEqualTo(type);
        assertThat(t.shape()).as(name).containsExactly(shape);
    }
}
