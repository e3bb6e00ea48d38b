package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufValue;
import dev.vlm4j.models.testmodel.ClipShape;
import dev.vlm4j.models.testmodel.LlamaShape;
import dev.vlm4j.models.testmodel.ModelShape;
import dev.vlm4j.models.testmodel.SyntheticVocab;
import dev.vlm4j.models.testmodel.TensorSpec;
import dev.vlm4j.models.testmodel.TestModels;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The big shapes are checked as plans (no file): writing 1b takes a minute and 2.2 GB. */
class TestModelLayoutTest {

    @Test
    void tinyLlama1bPlan() {
        ModelShape s = ModelShape.named("1b");
        // TinyLlama-1.1B's published parameter count.
        assertThat(TestModels.parameterCount(s)).isEqualTo(1_100_048_384L);
        List<TensorSpec> t = s.tensors(GgmlType.F16);
        assertThat(t).hasSize(3 + 22 * 9);
        Map<String, TensorSpec> byName = t.stream().collect(Collectors.toMap(TensorSpec::name, Function.identity()));
        assertThat(t.get(0).name()).isEqualTo("token_embd.weight");
        assertThat(t.getLast().name()).isEqualTo("output.weight");
        assertShape(byName, "token_embd.weight", GgmlType.F16, 2048, 32000);
        assertShape(byName, "output.weight", GgmlType.F16, 2048, 32000);
        assertShape(byName, "output_norm.weight", GgmlType.F32, 2048);
        assertShape(byName, "blk.21.attn_q.weight", GgmlType.F16, 2048, 2048);
        assertShape(byName, "blk.21.attn_k.weight", GgmlType.F16, 2048, 256); // 4 KV heads x 64
        assertShape(byName, "blk.21.attn_v.weight", GgmlType.F16, 2048, 256);
        assertShape(byName, "blk.21.attn_output.weight", GgmlType.F16, 2048, 2048);
        assertShape(byName, "blk.21.ffn_gate.weight", GgmlType.F16, 2048, 5632);
        assertShape(byName, "blk.21.ffn_up.weight", GgmlType.F16, 2048, 5632);
        assertShape(byName, "blk.21.ffn_down.weight", GgmlType.F16, 5632, 2048);
        assertShape(byName, "blk.0.attn_norm.weight", GgmlType.F32, 2048);
        assertThat(byName).doesNotContainKey("blk.22.attn_q.weight");
        // 2 bytes per weight plus 4 per norm weight: the ~2.2 GB file.
        assertThat(TestModels.dataBytes(s, GgmlType.F16)).isEqualTo(2 * 1_100_048_384L + 2 * (22 * 2 * 2048 + 2048));

        Map<String, GgufValue> m = s.metadata(GgmlType.F16);
        assertThat(m.get("general.architecture").asString()).isEqualTo("llama");
        assertThat(m.get("llama.embedding_length").asInt()).isEqualTo(2048);
        assertThat(m.get("llama.block_count").asInt()).isEqualTo(22);
        assertThat(m.get("llama.feed_forward_length").asInt()).isEqualTo(5632);
        assertThat(m.get("llama.attention.head_count").asInt()).isEqualTo(32);
        assertThat(m.get("llama.attention.head_count_kv").asInt()).isEqualTo(4);
        assertThat(m.get("llama.context_length").asInt()).isEqualTo(2048);
        assertThat(m.get("llama.rope.dimension_count").asInt()).isEqualTo(64);
        assertThat(m.get("llama.rope.freq_base").asFloat()).isEqualTo(10000f);
        assertThat(m.get("llama.attention.layer_norm_rms_epsilon").asFloat()).isEqualTo(1e-5f);
        assertThat(m.get("tokenizer.ggml.tokens").length()).isEqualTo(32000);
        assertThat(m.get("general.file_type").asInt()).isEqualTo(1);
    }

    @Test
    void everyShapeWorksInEveryType() {
        for (ModelShape s : ModelShape.builtIn().values()) {
            for (GgmlType type : List.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K)) {
                for (TensorSpec t : s.tensors(type)) {
                    assertThat(type.isRowAligned(t.shape()[0]) || t.type() != type).as(s.name() + " " + t).isTrue();
                }
                assertThat(s.metadata(type).get("general.quantization_version") != null).isEqualTo(type.isQuantized());
            }
        }
        assertThatThrownBy(() -> LlamaShape.TINY.tensors(GgmlType.Q2_K)).hasMessageContaining("q2_k");
    }

    @Test
    void clipL336Plan() {
        ModelShape s = ModelShape.named("clip-l-336");
        List<TensorSpec> t = s.tensors(GgmlType.F16);
        Map<String, TensorSpec> byName = t.stream().collect(Collectors.toMap(TensorSpec::name, Function.identity()));
        assertShape(byName, "v.patch_embd.weight", GgmlType.F16, 14, 14, 3, 1024);
        assertShape(byName, "v.class_embd", GgmlType.F32, 1024);
        assertShape(byName, "v.position_embd.weight", GgmlType.F16, 1024, 577); // (336/14)^2 + 1
        assertShape(byName, "v.pre_ln.weight", GgmlType.F32, 1024);
        assertShape(byName, "v.pre_ln.bias", GgmlType.F32, 1024);
        // llava-1.5's converter drops the tower's 24th layer: blocks 0..22 are stored.
        assertShape(byName, "v.blk.22.attn_q.weight", GgmlType.F16, 1024, 1024);
        assertShape(byName, "v.blk.22.attn_out.bias", GgmlType.F32, 1024);
        assertShape(byName, "v.blk.22.ffn_down.weight", GgmlType.F16, 1024, 4096);
        assertShape(byName, "v.blk.22.ffn_down.bias", GgmlType.F32, 4096);
        assertShape(byName, "v.blk.22.ffn_up.weight", GgmlType.F16, 4096, 1024);
        assertShape(byName, "v.blk.22.ln2.bias", GgmlType.F32, 1024);
        assertThat(byName).doesNotContainKey("v.blk.23.attn_q.weight").doesNotContainKey("v.post_ln.weight");
        assertShape(byName, "mm.0.weight", GgmlType.F16, 1024, 2048);
        assertShape(byName, "mm.0.bias", GgmlType.F32, 2048);
        assertShape(byName, "mm.2.weight", GgmlType.F16, 2048, 2048);
        assertThat(t).hasSize(3 + 2 + 23 * 16 + 4);
        Map<String, GgufValue> m = s.metadata(GgmlType.F16);
        assertThat(m.get("clip.vision.block_count").asInt()).isEqualTo(23);
        assertThat(m.get("clip.vision.image_size").asInt()).isEqualTo(336);
        assertThat(m.get("clip.vision.patch_size").asInt()).isEqualTo(14);
        assertThat(m.get("clip.vision.embedding_length").asInt()).isEqualTo(1024);
        assertThat(m.get("clip.vision.feed_forward_length").asInt()).isEqualTo(4096);
        assertThat(m.get("clip.vision.attention.head_count").asInt()).isEqualTo(16);
        assertThat(m.get("clip.projector_type").asString()).isEqualTo("mlp");
        assertThat(m.get("clip.has_llava_projector").asBool()).isTrue();
        assertThat(m.get("clip.use_gelu").asBool()).isFalse();
        assertThat(((ClipShape) s).llmWidth()).isEqualTo(((LlamaShape) ModelShape.named("1b")).nEmbd());
    }

    @Test
    void vocabularyIsByteFallbackSpmWithReachablePieces() {
        for (int size : new int[] {512, 32000}) {
            SyntheticVocab v = SyntheticVocab.spm(size);
            String[] tok = v.tokens();
            assertThat(tok).hasSize(size).startsWith("<unk>", "<s>", "</s>");
            assertThat(v.types()[0]).isEqualTo(2);
            assertThat(v.types()[1]).isEqualTo(3);
            for (int b = 0; b < 256; b++) {
                assertThat(tok[3 + b]).isEqualTo(String.format("<0x%02X>", b));
                assertThat(v.types()[3 + b]).isEqualTo(6);
            }
            Set<String> all = new HashSet<>(List.of(tok));
            assertThat(all).hasSize(size);
            assertThat(all).contains("\u2581", "a", "Z", "\u2581the");
            for (int i = 259; i < size; i++) {
                String p = tok[i];
                assertThat(v.types()[i]).isEqualTo(1);
                // SPM builds a piece by merging two existing pieces: the prefix one character shorter must exist.
                if (p.length() > 1) assertThat(all.contains(p.substring(0, p.length() - 1))).as("prefix of " + p + " is a piece").isTrue();
                assertThat(Float.isFinite(v.scores()[i])).isTrue();
            }
        }
        assertThat(List.of(SyntheticVocab.spm(32000).tokens())).contains("\u2581picture", "\u2581image", "\u2581Describe", "\u2581USER", "ing");
    }

    private static void assertShape(Map<String, TensorSpec> byName, String name, GgmlType type, long... shape) {
        TensorSpec t = byName.get(name);
        assertThat(t).as(name).isNotNull();
        assertThat(t.type()).as(name).isEqualTo(type);
        assertThat(t.shape()).as(name).containsExactly(shape);
    }
}
