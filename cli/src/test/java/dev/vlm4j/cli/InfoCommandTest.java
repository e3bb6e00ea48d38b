package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufValue;
import dev.vlm4j.core.gguf.GgufValueType;
import dev.vlm4j.core.gguf.GgufWriter;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.models.testmodel.LlamaShape;
import dev.vlm4j.models.testmodel.TestModels;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SuppressWarnings("unchecked")
class InfoCommandTest {
    // tiny-llava's LLM per the fixtures README: n_embd 256, n_ff 512, 4 heads, 2 KV heads, 2 layers, vocab 512.
    private static final long EMBD = 256, FF = 512, KV = 128, VOCAB = 512, LAYERS = 2;
    private static final long PARAMS = 2 * EMBD * VOCAB + EMBD
            + LAYERS * (2 * EMBD * EMBD + 2 * EMBD * KV + 3 * EMBD * FF + 2 * EMBD);

    @Test
    void textOnQuantizedFixture() {
        Path f = Fixtures.path("tiny-llava/llm-q4_0.gguf");
        Cli.Result r = Cli.run("info", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        String out = r.out();
        assertThat(out).contains("GGUF v3").contains("21 tensors");
        assertThat(line(out, "general.architecture")).contains("str").contains("\"llama\"");
        assertThat(line(out, "tokenizer.ggml.tokens")).contains("arr[str]").contains("\"<unk>\", \"<s>\", \"</s>\"")
                .endsWith("... (512 total)]");
        assertThat(line(out, "llama.attention.layer_norm_rms_epsilon")).contains("f32").endsWith("1.0E-5");
        // A q4_0 block holds 32 weights in 18 bytes; output.weight comes first in llama-quantize's file.
        assertThat(line(out, "token_embd.weight")).matches(".*q4_0\\s+\\[256, 512\\]\\s+74752\\s+73728");
        assertThat(line(out, "output.weight ")).matches(".*q4_0\\s+\\[256, 512\\]\\s+0\\s+73728");
        assertThat(line(out, "total:")).contains("21 tensors").contains(String.format(Locale.ROOT, "%,d parameters", PARAMS));
    }

    @Test
    void jsonOnFixtureIsCompleteAndWellFormed() {
        Path f = Fixtures.path("tiny-llava/llm-f32.gguf");
        Cli.Result r = Cli.run("info", "--json", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        assertThat(root.keySet()).containsExactly("metadata", "tensors");
        Map<String, Object> meta = (Map<String, Object>) root.get("metadata");
        assertThat(meta.get("general.architecture")).isEqualTo("llama");
        assertThat(meta.get("llama.embedding_length")).isEqualTo(BigDecimal.valueOf(EMBD));
        assertThat(meta.get("tokenizer.ggml.add_bos_token")).isEqualTo(true);
        List<Object> tokens = (List<Object>) meta.get("tokenizer.ggml.tokens");
        assertThat(tokens).hasSize((int) VOCAB).startsWith("<unk>", "<s>", "</s>", "<0x00>");
        assertThat(tokens.get(507)).isEqualTo("\u2581Describe");
        assertThat(((List<Object>) meta.get("tokenizer.ggml.scores")).get(511)).isEqualTo(new BigDecimal("-1.0E9"));
        List<Object> tensors = (List<Object>) root.get("tensors");
        assertThat(tensors).hasSize(21);
        long params = 0;
        for (Object o : tensors) {
            Map<String, Object> t = (Map<String, Object>) o;
            assertThat(t.keySet()).containsExactly("name", "type", "shape", "offset", "bytes");
            assertThat(t.get("type")).isEqualTo("f32");
            long n = ((List<Object>) t.get("shape")).stream().mapToLong(d -> ((BigDecimal) d).longValueExact()).reduce(1, (a, b) -> a * b);
            assertThat(((BigDecimal) t.get("bytes")).longValueExact()).isEqualTo(4 * n);
            params += n;
        }
        assertThat(params).isEqualTo(PARAMS);
        Map<String, Object> first = (Map<String, Object>) tensors.get(0);
        assertThat(first.get("name")).isEqualTo("token_embd.weight");
        assertThat(first.get("shape")).isEqualTo(List.of(BigDecimal.valueOf(EMBD), BigDecimal.valueOf(VOCAB)));
        assertThat(((Map<String, Object>) tensors.get(1)).get("offset")).isEqualTo(BigDecimal.valueOf(4 * EMBD * VOCAB));
    }

    @Test
    void jsonOnTinyModelMatchesWhatWasWritten(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tiny.gguf");
        TestModels.write(LlamaShape.TINY, GgmlType.Q8_0, 7, f);
        Cli.Result r = Cli.run("info", "--json", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, Object> root = (Map<String, Object>) Json.parse(r.out());
        Map<String, Object> meta = (Map<String, Object>) root.get("metadata");
        Map<String, GgufValue> expected = LlamaShape.TINY.metadata(GgmlType.Q8_0);
        assertThat(meta.keySet()).containsExactlyElementsOf(expected.keySet());
        assertThat(meta.get("tokenizer.ggml.tokens")).isEqualTo(Arrays.asList(expected.get("tokenizer.ggml.tokens").asStringArray()));
        float[] scores = expected.get("tokenizer.ggml.scores").asFloatArray();
        List<Object> got = (List<Object>) meta.get("tokenizer.ggml.scores");
        for (int i = 0; i < scores.length; i++) assertThat(((BigDecimal) got.get(i)).floatValue()).isEqualTo(scores[i]);
        List<Object> tensors = (List<Object>) root.get("tensors");
        assertThat(tensors).hasSize(LlamaShape.TINY.tensors(GgmlType.Q8_0).size());
        Map<String, Object> q = (Map<String, Object>) tensors.get(2);
        assertThat(q.get("name")).isEqualTo("blk.0.attn_q.weight");
        assertThat(q.get("type")).isEqualTo("q8_0");
        // q8_0: 32 weights in 34 bytes.
        assertThat(q.get("bytes")).isEqualTo(BigDecimal.valueOf(256L * 256 / 32 * 34));
    }

    @Test
    void textOnTinyClip(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("clip.gguf");
        Cli.Result made = Cli.run("make-test-model", "--shape", "tiny-clip", "--type", "f16", "-o", f.toString());
        assertThat(made.exitCode()).as(made.toString()).isZero();
        Cli.Result r = Cli.run("info", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(line(r.out(), "clip.vision.image_mean")).contains("arr[f32]").contains("0.48145467");
        assertThat(line(r.out(), "v.patch_embd.weight")).contains("f16").contains("[14, 14, 3, 256]");
    }

    @Test
    void everyValueTypeInJsonAndText(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("values.gguf");
        String nasty = "tab\there \"quoted\" back\\slash\nnewline \u0001 \u2581x";
        new GgufWriter()
                .put("u8", GgufValue.of(GgufValueType.UINT8, 255))
                .put("i8", GgufValue.of(GgufValueType.INT8, -128))
                .put("u16", GgufValue.of(GgufValueType.UINT16, 65535))
                .put("i16", GgufValue.of(GgufValueType.INT16, -32768))
                .put("u32", GgufValue.u32(4294967295L))
                .put("i32", GgufValue.i32(Integer.MIN_VALUE))
                .put("u64", GgufValue.of(GgufValueType.UINT64, -1L))
                .put("i64", GgufValue.of(GgufValueType.INT64, Long.MIN_VALUE))
                .put("f32", GgufValue.f32(Float.NaN))
                .put("f64", GgufValue.of(GgufValueType.FLOAT64, Double.NEGATIVE_INFINITY))
                .put("bool", GgufValue.bool(true))
                .put("str", GgufValue.string(nasty))
                .put("long_str", GgufValue.string("x".repeat(5000)))
                .put("u64s", GgufValue.array(GgufValueType.UINT64, new long[] {-1L, 0, 1}))
                .put("f64s", GgufValue.array(GgufValueType.FLOAT64, new double[] {0.1, Double.POSITIVE_INFINITY}))
                .put("bools", GgufValue.array(GgufValueType.BOOL, new boolean[] {true, false}))
                .put("i32s", GgufValue.i32s(java.util.stream.LongStream.range(0, 1000).toArray()))
                .put("empty", GgufValue.strings())
                .write(f);
        Cli.Result r = Cli.run("info", "--json", f.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) Json.parse(r.out())).get("metadata");
        assertThat(m.get("u8")).isEqualTo(new BigDecimal(255));
        assertThat(m.get("i8")).isEqualTo(new BigDecimal(-128));
        assertThat(m.get("u16")).isEqualTo(new BigDecimal(65535));
        assertThat(m.get("i16")).isEqualTo(new BigDecimal(-32768));
        assertThat(m.get("u32")).isEqualTo(new BigDecimal("4294967295"));
        assertThat(m.get("i32")).isEqualTo(new BigDecimal(Integer.MIN_VALUE));
        assertThat(m.get("u64")).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(m.get("i64")).isEqualTo(new BigDecimal(Long.MIN_VALUE));
        assertThat(m.get("f32")).isEqualTo("NaN");
        assertThat(m.get("f64")).isEqualTo("-Infinity");
        assertThat(m.get("bool")).isEqualTo(true);
        assertThat(m.get("str")).isEqualTo(nasty);
        assertThat((String) m.get("long_str")).hasSize(5000);
        assertThat(m.get("u64s")).isEqualTo(List.of(new BigDecimal("18446744073709551615"), BigDecimal.ZERO, BigDecimal.ONE));
        assertThat(m.get("f64s")).isEqualTo(List.of(new BigDecimal("0.1"), "Infinity"));
        assertThat(m.get("bools")).isEqualTo(List.of(true, false));
        assertThat((List<Object>) m.get("i32s")).hasSize(1000).endsWith(new BigDecimal(999));
        assertThat(m.get("empty")).isEqualTo(List.of());

        Cli.Result text = Cli.run("info", f.toString());
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(line(text.out(), "u64 ")).endsWith("18446744073709551615");
        assertThat(line(text.out(), "str ")).contains("\\t").contains("\\n").doesNotContain("\t");
        assertThat(line(text.out(), "long_str")).endsWith("... (5000 chars)");
        assertThat(line(text.out(), "i32s")).contains("arr[i32]").endsWith("0, 1, 2, 3, 4, 5, 6, 7, ... (1000 total)]");
        assertThat(line(text.out(), "u64s")).endsWith("[18446744073709551615, 0, 1]");
        assertThat(line(text.out(), "total:")).contains("0 tensors");
    }

    private static String line(String out, String start) {
        return out.lines().map(String::strip).filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n" + out));
    }
}
