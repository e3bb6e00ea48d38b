package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenizer.ggml.*} metadata mapping and its errors, on small GGUF files written for the test. */
class TokenizerGgufMetadataTest {
    @TempDir
    Path dir;

    private static final String[] SPM_TOKENS = {"<unk>", "<s>", "</s>", "▁", "a", "b", "▁a"};

    private GgufWriter spm() {
        return new GgufWriter()
                .putString("tokenizer.ggml.model", "llama")
                .putStrings("tokenizer.ggml.tokens", SPM_TOKENS)
                .putF32s("tokenizer.ggml.scores", 0, 0, 0, -3, -4, -4, -1)
                .putI32s("tokenizer.ggml.token_type", 2, 3, 3, 1, 1, 1, 1);
    }

    private Tokenizer load(GgufWriter w) throws IOException {
        Path p = dir.resolve("t" + System.nanoTime() + ".gguf");
        w.write(p);
        try (GgufFile f = GgufFile.open(p)) {
            return Tokenizer.fromGguf(f);
        }
    }

    private IllegalArgumentException rejected(GgufWriter w) {
        return assertThrows(IllegalArgumentException.class, () -> load(w));
    }

    @Test
    void sentencePieceFlagsAndIds() throws IOException {
        Tokenizer t = load(spm());
        assertArrayEquals(new int[] {1, 6, 3, 5}, t.encode("a b", true, false)); // ▁a ▁ b
        Tokenizer custom = load(spm().putBool("tokenizer.ggml.add_space_prefix", false)
                .putBool("tokenizer.ggml.add_bos_token", false).putBool("tokenizer.ggml.add_eos_token", true)
                .putU32("tokenizer.ggml.bos_token_id", 2).putU32("tokenizer.ggml.eos_token_id", 1));
        assertEquals(2, custom.bos());
        assertEquals(1, custom.eos());
        assertArrayEquals(new int[] {4, 6, 1}, custom.encode("a a", true, false)); // a ▁a, EOS, no BOS
    }

    @Test
    void outOfRangeSpecialIdsKeepTheDefault() throws IOException {
        Tokenizer t = load(spm().putU32("tokenizer.ggml.eos_token_id", 0xFFFFFFFFL));
        assertEquals(2, t.eos());
    }

    @Test
    void bertTakesClsAsBos() throws IOException {
        GgufWriter w = new GgufWriter()
                .putString("tokenizer.ggml.model", "bert")
                .putStrings("tokenizer.ggml.tokens", "[PAD]", "[UNK]", "[CLS]", "[SEP]", "▁hi")
                .putI32s("tokenizer.ggml.token_type", 3, 3, 3, 3, 1)
                .putU32("tokenizer.ggml.unknown_token_id", 1)
                .putU32("tokenizer.ggml.cls_token_id", 2)
                .putU32("tokenizer.ggml.seperator_token_id", 3)
                .putU32("tokenizer.ggml.padding_token_id", 0);
        assertArrayEquals(new int[] {2, 4, 3}, load(w).encode("Hi", true, false));
    }

    @Test
    void unsupportedOrMissingModel() {
        IllegalArgumentException e = rejected(new GgufWriter().putString("tokenizer.ggml.model", "t5")
                .putStrings("tokenizer.ggml.tokens", "a"));
        assertTrue(e.getMessage().contains("'t5'"), e.getMessage());
        e = rejected(new GgufWriter().putString("general.architecture", "clip"));
        assertTrue(e.getMessage().contains("tokenizer.ggml.model"), e.getMessage());
    }

    @Test
    void malformedArrays() {
        UnaryOperator<GgufWriter> base = w -> w.putString("tokenizer.ggml.model", "llama")
                .putStrings("tokenizer.ggml.tokens", SPM_TOKENS);
        IllegalArgumentException e = rejected(base.apply(new GgufWriter()).putF32s("tokenizer.ggml.scores", 0, 0));
        assertTrue(e.getMessage().contains("tokenizer.ggml.scores"), e.getMessage());
        e = rejected(base.apply(new GgufWriter()).putStrings("tokenizer.ggml.token_type", "x"));
        assertTrue(e.getMessage().contains("tokenizer.ggml.token_type"), e.getMessage());
        e = rejected(new GgufWriter().putString("tokenizer.ggml.model", "gpt2").putStrings("tokenizer.ggml.tokens", "a"));
        assertTrue(e.getMessage().contains("tokenizer.ggml.merges"), e.getMessage());
        e = rejected(new GgufWriter().putString("tokenizer.ggml.model", "llama").putString("tokenizer.ggml.tokens", "a"));
        assertTrue(e.getMessage().contains("tokenizer.ggml.tokens"), e.getMessage());
    }
}
