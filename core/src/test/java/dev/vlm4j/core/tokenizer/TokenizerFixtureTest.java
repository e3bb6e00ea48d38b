package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parity with llama.cpp's tokenizer test vectors and the model fixtures' prompt tokens. */
class TokenizerFixtureTest {
    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    /** Tokenizers are immutable: each fixture vocabulary is loaded once for the whole class. */
    private static final Map<String, Tokenizer> LOADED = new ConcurrentHashMap<>();

    private static Tokenizer load(String relative) {
        Path path = Fixtures.path(relative);
        return LOADED.computeIfAbsent(relative, k -> {
            try (GgufFile f = GgufFile.open(path)) {
                return Tokenizer.fromGguf(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The test strings of {@code ggml-vocab-<name>.gguf.inp} (each followed by the separator). */
    private static List<String> inputs(String name) throws IOException {
        String inp = Files.readString(Fixtures.path("vocab/ggml-vocab-" + name + ".gguf.inp"));
        assertTrue(inp.endsWith(SEPARATOR), "inputs end with the separator");
        return List.of(inp.substring(0, inp.length() - SEPARATOR.length()).split(Pattern.quote(SEPARATOR), -1));
    }

    private static List<int[]> outputs(String name) throws IOException {
        List<int[]> out = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.path("vocab/ggml-vocab-" + name + ".gguf.out"))) {
            String t = line.strip();
            out.add(t.isEmpty() ? new int[0] : Arrays.stream(t.split(" +")).mapToInt(Integer::parseInt).toArray());
        }
        return out;
    }

    private static String show(String s) {
        return s.replace("\n", "\\n").replace("\t", "\\t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "gpt-2", "bert-bge"})
    void llamaCppVocabTestVectors(String name) throws IOException {
        Tokenizer tok = load("vocab/ggml-vocab-" + name + ".gguf");
        List<String> in = inputs(name);
        List<int[]> expected = outputs(name);
        assertEquals(expected.size(), in.size(), "one expected line per input");
        List<Executable> checks = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String s = in.get(i);
            int[] exp = expected.get(i);
            int n = i;
            checks.add(() -> assertArrayEquals(exp, tok.encode(s, false, false), "case " + n + " '" + show(s) + "'"));
        }
        assertAll(name, checks);
    }

    /** llama.cpp's detokenizer restores SentencePiece input exactly (the space prefix is removed again). */
    @Test
    void sentencePieceRoundTrips() throws IOException {
        Tokenizer tok = load("vocab/ggml-vocab-llama-spm.gguf");
        for (String s : inputs("llama-spm")) {
            assertEquals(s, tok.decode(tok.encode(s, false, false)), "'" + show(s) + "'");
        }
    }

    /** GPT-2 round-trips except where llama.cpp's clean-up removes a space before . , ! ? or an apostrophe. */
    @Test
    void gpt2RoundTripsWhereNoSpaceIsCleanedUp() throws IOException {
        Tokenizer tok = load("vocab/ggml-vocab-gpt-2.gguf");
        Pattern cleaned = Pattern.compile(" [.,!?']");
        int checked = 0;
        for (String s : inputs("gpt-2")) {
            if (cleaned.matcher(s).find()) continue;
            assertEquals(s, tok.decode(tok.encode(s, false, false)), "'" + show(s) + "'");
            checked++;
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    /** Streaming yields the same text as the tokens' bytes taken whole, never a split character. */
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "gpt-2"})
    void streamingMatchesWholeDecoding(String name) throws IOException {
        Tokenizer tok = load("vocab/ggml-vocab-" + name + ".gguf");
        for (String s : inputs(name)) {
            int[] ids = tok.encode(s, false, false);
            StreamingDecoder d = new StreamingDecoder(tok);
            StringBuilder streamed = new StringBuilder();
            ByteArrayOutputStream whole = new ByteArrayOutputStream();
            for (int id : ids) {
                String part = d.accept(id);
                assertFalse(part.contains("\uFFFD"), "split character in '" + show(s) + "'");
                streamed.append(part);
                whole.writeBytes(tok.tokenBytes(id));
            }
            assertFalse(d.hasPending());
            assertEquals(whole.toString(StandardCharsets.UTF_8), streamed.toString(), "'" + show(s) + "'");
        }
    }

    @Test
    void tinyLlavaPromptsEveryWeightType() {
        String prompt = "The cat looks at the picture of a dog. What is in this image?";
        for (String type : new String[] {"f32", "f16", "q8_0", "q4_0", "q4_k", "q6_k"}) {
            Tokenizer tok = load("tiny-llava/llm-" + type + ".gguf");
            int[] ref = Fixtures.readI32(Fixtures.path("tiny-llava/ref/" + type + "-text/text.tokens.i32"));
            assertArrayEquals(ref, tok.encode(prompt, true, false), type);
        }
    }

    @Test
    void tinyLlavaMultimodalSegments() {
        Tokenizer tok = load("tiny-llava/llm-f32.gguf");
        assertArrayEquals(Fixtures.readI32(Fixtures.path("tiny-llava/ref/f32-mm/mm.prefix.i32")), tok.encode("USER: ", true, false));
        assertArrayEquals(Fixtures.readI32(Fixtures.path("tiny-llava/ref/f32-mm/mm.suffix.i32")),
                tok.encode("\nDescribe the image.\nASSISTANT:", false, false));
    }

    @Test
    void parsedBosEqualsAddedBos() {
        Tokenizer tok = load("tiny-llava/llm-f32.gguf");
        String prompt = "The cat looks at the picture of a dog. What is in this image?";
        int[] ref = Fixtures.readI32(Fixtures.path("tiny-llava/ref/f32-text/text.tokens.i32"));
        // "<s>" parsed as BOS; the text after a special token gets the space prefix, as at the start
        assertArrayEquals(ref, tok.encode(tok.tokenText(tok.bos()) + prompt, false, true));
    }

    @Test
    void stories260K() {
        Tokenizer tok = load("stories260K/stories260K.gguf");
        int[] ref = Fixtures.readI32(Fixtures.path("stories260K/ref-text/text.tokens.i32"));
        assertArrayEquals(ref, tok.encode("Once upon a time, there was a little girl named Lily.", true, false));
        // the fixture README gives the text of the greedy continuation
        int[] greedy = Fixtures.readI32(Fixtures.path("stories260K/ref-text/text.greedy.i32"));
        StreamingDecoder d = new StreamingDecoder(tok);
        StringBuilder text = new StringBuilder();
        for (int id : greedy) text.append(d.accept(id));
        text.append(d.flush());
        assertEquals(" She loved to play outside in the park. One day, she saw a big,", text.toString());
        assertEquals("She loved to play outside in the park. One day, she saw a big,", tok.decode(greedy));
        assertTrue(tok.isEog(tok.eos()));
    }

    @Test
    void metadataOfTheFixtureVocabularies() {
        Tokenizer spm = load("vocab/ggml-vocab-llama-spm.gguf");
        assertEquals(32000, spm.vocabSize());
        assertEquals("<s>", spm.tokenText(spm.bos()));
        assertEquals("</s>", spm.tokenText(spm.eos()));
        Tokenizer bert = load("vocab/ggml-vocab-bert-bge.gguf");
        assertEquals("[CLS]", bert.tokenText(bert.bos()));
        int[] withSpecial = bert.encode("hello", true, false);
        assertEquals("[CLS]", bert.tokenText(withSpecial[0]));
        assertEquals("[SEP]", bert.tokenText(withSpecial[withSpecial.length - 1]));
        Tokenizer gpt2 = load("vocab/ggml-vocab-gpt-2.gguf");
        assertEquals("<|endoftext|>", gpt2.tokenText(gpt2.eos()));
        assertArrayEquals(new int[] {gpt2.eos()}, gpt2.encode("<|endoftext|>", false, true));
    }

    @Test
    void modelsWithoutATokenizerAreRejected() {
        try (GgufFile f = GgufFile.open(Fixtures.path("tiny-llava/mmproj-f32.gguf"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromGguf(f));
            assertTrue(e.getMessage().contains("tokenizer.ggml.model"), e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
