package dev.vlm4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufValue;
import dev.vlm4j.core.gguf.GgufWriter;
import dev.vlm4j.core.testing.Fixtures;
import dev.vlm4j.core.testing.Nmse;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoder variants the llama.cpp fixtures do not cover, against the independent float64
 * {@link Float64Llama}: qwen2 (NEOX RoPE, Q/K/V biases, output tied to token_embd) and a
 * llama file mixing weight types as llama-quantize's Q4_K_M does.
 */
class ArchitectureVariantsTest {
    @TempDir
    Path tmp;

    static final long SEED = 20261128L;

    /** Writes a decoder with the stories260K vocabulary; {@code typeOf} picks each weight's type. */
    static Path write(Path file, String arch, int e, int ff, int heads, int kvHeads, boolean biases, boolean tied,
                      Function<String, GgmlType> typeOf) throws Exception {
        GgufWriter g = new GgufWriter();
        g.putString("general.architecture", arch);
        g.putU32(arch + ".context_length", 256);
        g.putU32(arch + ".embedding_length", e);
        g.putU32(arch + ".block_count", 2);
        g.putU32(arch + ".feed_forward_length", ff);
        g.putU32(arch + ".attention.head_count", heads);
        g.putU32(arch + ".attention.head_count_kv", kvHeads);
        g.putF32(arch + ".attention.layer_norm_rms_epsilon", 1e-6f);
        g.putF32(arch + ".rope.freq_base", 1_000_000f);
        int vocab;
        try (GgufFile voc = GgufFile.open(Fixtures.path("stories260K/stories260K.gguf"))) {
            for (var kv : voc.metadata().entrySet()) {
                if (kv.getKey().startsWith("tokenizer.")) g.put(kv.getKey(), kv.getValue());
            }
            vocab = voc.requireStringArray("tokenizer.ggml.tokens").length;
        }
        Random r = new Random(SEED);
        int kv = e / heads * kvHeads;
        tensor(g, r, "token_embd.weight", typeOf, 0.5, e, vocab);
        for (int l = 0; l < 2; l++) {
            String p = "blk." + l + ".";
            tensor(g, r, p + "attn_norm.weight", n -> GgmlType.F32, -1, e);
            tensor(g, r, p + "attn_q.weight", typeOf, 0.08, e, e);
            tensor(g, r, p + "attn_k.weight", typeOf, 0.08, e, kv);
            tensor(g, r, p + "attn_v.weight", typeOf, 0.08, e, kv);
            if (biases) {
                tensor(g, r, p + "attn_q.bias", n -> GgmlType.F32, 0.1, e);
                tensor(g, r, p + "attn_k.bias", n -> GgmlType.F32, 0.1, kv);
                tensor(g, r, p + "attn_v.bias", n -> GgmlType.F32, 0.1, kv);
            }
            tensor(g, r, p + "attn_output.weight", typeOf, 0.08, e, e);
            tensor(g, r, p + "ffn_norm.weight", n -> GgmlType.F32, -1, e);
            tensor(g, r, p + "ffn_gate.weight", typeOf, 0.08, e, ff);
            tensor(g, r, p + "ffn_up.weight", typeOf, 0.08, e, ff);
            tensor(g, r, p + "ffn_down.weight", typeOf, 0.08, ff, e);
        }
        tensor(g, r, "output_norm.weight", n -> GgmlType.F32, -1, e);
        if (!tied) tensor(g, r, "output.weight", typeOf, 0.08, e, vocab);
        g.write(file);
        return file;
    }

    /** std < 0: a norm weight around 1. */
    static void tensor(GgufWriter g, Random r, String name, Function<String, GgmlType> typeOf, double std, long... shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = std < 0 ? (float) (1 + 0.1 * r.nextGaussian()) : (float) (std * r.nextGaussian());
        GgmlType type = typeOf.apply(name);
        g.addTensor(name, type, shape, Codecs.encode(type, v));
    }

    static void assertMatchesFloat64(Path model, double bound) throws Exception {
        int[] tokens = {1, 345, 279, 400, 35, 88, 120, 7, 499, 260, 311, 22, 150};
        double[][] want;
        try (GgufFile f = GgufFile.open(model)) {
            want = new Float64Llama(f).forward(tokens);
        }
        try (Vlm vlm = Vlm.load(model, "java", BackendOptions.threads(2));
             Session s = vlm.newSession(SessionOptions.defaults().withContextSize(64))) {
            float[][] got = s.evaluate(tokens, true);
            double num = 0, den = 0;
            for (int i = 0; i < tokens.length; i++) {
                for (int j = 0; j < want[i].length; j++) {
                    num += (got[i][j] - want[i][j]) * (got[i][j] - want[i][j]);
                    den += want[i][j] * want[i][j];
                }
            }
            System.out.printf("%s: NMSE vs float64 %.3e (seed %d)%n", model.getFileName(), num / den, SEED);
            assertThat(num / den).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void qwen2WithBiasesNeoxRopeAndTiedOutput() throws Exception {
        Path m = write(tmp.resolve("qwen2.gguf"), "qwen2", 128, 192, 4, 2, true, true, n -> GgmlType.F32);
        try (Vlm vlm = Vlm.load(m, "java", BackendOptions.threads(2))) {
            assertThat(vlm.llama().config().rope().mode()).isEqualTo(dev.vlm4j.core.backend.RopeMode.NEOX);
        }
        assertMatchesFloat64(m, 1e-5);
    }

    @Test
    void llamaMixingTypesAsQ4KM() throws Exception {
        // llama-quantize Q4_K_M: most weights q4_k, attn_v and ffn_down q6_k, token_embd q4_k, output q6_k, norms f32
        Path m = write(tmp.resolve("mixed.gguf"), "llama", 256, 512, 4, 4, false, false,
                n -> n.contains("attn_v") || n.contains("ffn_down") || n.equals("output.weight") ? GgmlType.Q6_K : GgmlType.Q4_K);
        assertMatchesFloat64(m, 2e-3);
    }

    @Test
    void unsupportedArchitectureIsNamed() throws Exception {
        Path m = write(tmp.resolve("gpt.gguf"), "gptneox", 64, 96, 4, 4, false, false, n -> GgmlType.F32);
        assertThatThrownBy(() -> Vlm.load(m, "java", BackendOptions.threads(1)))
                .hasMessageContaining("architecture 'gptneox' is not a LLaMA-family decoder");
    }

    @Test
    void unsupportedProjectorIsNamed() throws Exception {
        Path src = Fixtures.path("tiny-llava/mmproj-f32.gguf");
        Path dst = tmp.resolve("mmproj-resampler.gguf");
        GgufWriter g = new GgufWriter();
        try (GgufFile f = GgufFile.open(src)) {
            for (var kv : f.metadata().entrySet()) {
                g.put(kv.getKey(), kv.getKey().equals("clip.projector_type") ? GgufValue.string("resampler") : kv.getValue());
            }
            for (var t : f.tensorInfos()) {
                g.addTensor(t.name(), t.type(), t.shape(), f.tensor(t.name()).data());
            }
            g.write(dst);
        }
        assertThatThrownBy(() -> Vlm.load(Fixtures.path("tiny-llava/llm-f32.gguf"), dst, "java", BackendOptions.threads(1)))
                .hasMessageContaining("unsupported projector type resampler");
    }
}
