package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Byte-level BPE on a hand-made vocabulary (Ġ is the byte alphabet's space). */
class BpeTokenizerTest {
    private static final String[] TOKENS = {
        "a", "b", "c", "Ġ", "ab", "bc", "Ġa", "abc", "<|endoftext|>", "Ġab", ",", "Ã", "©", "Ã©"};
    private static final String[] MERGES = {"b c", "a b", "Ġ a", "a bc", "Ã ©"};

    private static Tokenizer bpe(String pre) {
        TokenType[] types = new TokenType[TOKENS.length];
        Arrays.fill(types, TokenType.NORMAL);
        types[8] = TokenType.CONTROL;
        return Tokenizer.of(Vocabulary.builder("gpt2", TOKENS).pre(pre).types(types).merges(MERGES).bos(8).eos(8).build());
    }

    private final Tokenizer gpt2 = bpe("gpt-2");

    @Test
    void mergesLowestRankFirst() {
        // a b c: "b c" (rank 0) before "a b" (rank 1), then "a bc" (rank 3)
        assertArrayEquals(new int[] {7}, gpt2.encode("abc", false, false));
        // Ġ a b: "a b" (rank 1) before "Ġ a" (rank 2), which is then stale; "Ġ ab" is no merge
        assertArrayEquals(new int[] {3, 4}, gpt2.encode(" ab", false, false));
        assertArrayEquals(new int[] {4, 3, 4}, gpt2.encode("ab ab", false, false));
        assertArrayEquals(new int[] {2, 0}, gpt2.encode("ca", false, false));
    }

    @Test
    void utf8BytesUseTheByteAlphabet() {
        // é = C3 A9 → "Ã©", merged by "Ã ©"
        assertArrayEquals(new int[] {13}, gpt2.encode("é", false, false));
    }

    @Test
    void bytesWithoutTokensAreDropped() {
        assertArrayEquals(new int[] {0}, gpt2.encode("xa", false, false));
    }

    @Test
    void ignoreMergesTakesWholeTokens() {
        // llama-bpe: " ab" is one pre-token and itself a token
        assertArrayEquals(new int[] {9}, bpe("llama-bpe").encode(" ab", false, false));
    }

    @Test
    void bosFollowsTheVocabularyFlag() {
        assertArrayEquals(new int[] {4}, gpt2.encode("ab", true, false)); // gpt-2: add_bos defaults to false
        assertArrayEquals(new int[] {8, 9}, bpe("llama-bpe").encode(" ab", true, false)); // llama3: true
    }

    @Test
    void controlTokensParsedOnRequest() {
        assertArrayEquals(new int[] {4, 8, 2}, gpt2.encode("ab<|endoftext|>c", false, true));
        int[] plain = gpt2.encode("ab<|endoftext|>c", false, false);
        assertTrue(Arrays.stream(plain).noneMatch(i -> i == 8), Arrays.toString(plain));
    }

    @Test
    void decodeMapsBytesBackAndCleansSpaces() {
        assertEquals("ab ab", gpt2.decode(new int[] {4, 3, 4}));
        assertEquals("é", gpt2.decode(new int[] {13}));
        assertEquals("é", gpt2.decode(new int[] {11, 12}));
        assertEquals("a", gpt2.decode(new int[] {8, 0})); // control tokens render as nothing
        // " ," loses its space where the pre-tokenizer asks for clean-up (gpt-2) but not for qwen2
        assertEquals("a,", gpt2.decode(new int[] {0, 3, 10}));
        assertEquals("a ,", bpe("qwen2").decode(new int[] {0, 3, 10}));
    }

    @Test
    void eog() {
        assertTrue(gpt2.isEog(8));
        assertEquals(8, gpt2.eot()); // <|endoftext|> is taken as end of turn, as llama.cpp does
    }
}
