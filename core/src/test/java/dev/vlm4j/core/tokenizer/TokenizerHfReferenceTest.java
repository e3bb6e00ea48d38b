package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.testing.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Random strings (250 per file) tokenized by Hugging Face {@code tokenizers}, an independent implementation
 * llama.cpp's tokenizers agree with, on the fixture vocabularies; {@code hf_reference.py} next to the data
 * regenerates it. Complements the hand-picked llama.cpp test vectors with whitespace, script and emoji mixes.
 */
class TokenizerHfReferenceTest {

    private record Row(String text, String result) {}

    private static List<Row> rows(String resource) {
        try (InputStream in = TokenizerHfReferenceTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("test resource " + resource + " missing");
            List<Row> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isEmpty()) continue;
                String[] f = line.split("\t", -1);
                rows.add(new Row(unhex(f[0]), f[1]));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unhex(String h) {
        return new String(HexFormat.of().parseHex(h), StandardCharsets.UTF_8);
    }

    private static int[] ids(String s) {
        return s.isEmpty() ? new int[0] : Arrays.stream(s.split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    private static Tokenizer load(String relative) {
        try (GgufFile f = GgufFile.open(Fixtures.path(relative))) {
            return Tokenizer.fromGguf(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String show(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> sb.append(c < 0x20 || c > 0x7E ? String.format("\\u%04X", c) : Character.toString(c)));
        return sb.toString();
    }

    private static void checkIds(String vocab, String resource) {
        Tokenizer tok = load("vocab/ggml-vocab-" + vocab + ".gguf");
        List<Row> rows = rows(resource);
        assertEquals(250, rows.size(), resource);
        assertAll(resource, rows.stream().<Executable>map(r ->
                () -> assertArrayEquals(ids(r.result), tok.encode(r.text, false, false), "'" + show(r.text) + "'")));
    }

    private static void checkSplits(String pre, String resource) {
        PreTokenizer p = PreTokenizer.forName(pre);
        Function<String, List<String>> expected = s -> s.isEmpty() ? List.of()
                : Arrays.stream(s.split(",")).map(TokenizerHfReferenceTest::unhex).toList();
        List<Row> rows = rows(resource);
        assertEquals(250, rows.size(), resource);
        assertAll(resource, rows.stream().<Executable>map(r ->
                () -> assertEquals(expected.apply(r.result), p.split(r.text), "'" + show(r.text) + "'")));
    }

    @Test
    void gpt2() { checkIds("gpt-2", "hf-gpt2.tsv"); }

    @Test
    void sentencePiece() { checkIds("llama-spm", "hf-spm.tsv"); }

    @Test
    void wordPiece() { checkIds("bert-bge", "hf-bert.tsv"); }

    @Test
    void llama3Split() { checkSplits("llama-bpe", "hf-llama3-split.tsv"); }

    @Test
    void qwen2Split() { checkSplits("qwen2", "hf-qwen2-split.tsv"); }
}
