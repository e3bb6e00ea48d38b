package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre-tokenizer splits, worked out by hand from each regex set's semantics (alternatives tried left to right). */
class PreTokenizerTest {

    private static List<String> split(String pre, String text) {
        return PreTokenizer.forName(pre).split(text);
    }

    @Test
    void gpt2() {
        // the double space leaves its last space to " 12"; "!!" is a symbol run, "\n" trailing whitespace
        assertEquals(List.of("Hello", " world", "'s", " ", " 12", "!!", "\n"), split("gpt-2", "Hello world's  12!!\n"));
        // contractions are lowercase only
        assertEquals(List.of("I", "'", "M", " I", "'m"), split("gpt-2", "I'M I'm"));
        // non-ASCII whitespace is whitespace
        assertEquals(List.of("a", "\u00A0", "b"), split("gpt-2", "a\u00A0b"));
        assertEquals(List.of(), split("gpt-2", ""));
    }

    @Test
    void llama3() {
        assertEquals(List.of("Hello", " world", "'s", " ", " ", "123", "45", "!!\n\n"), split("llama-bpe", "Hello world's  12345!!\n\n"));
        // contractions in any case; a leading non-letter sticks to the word
        assertEquals(List.of("I", "'M", "(x"), split("llama-bpe", "I'M(x"));
        // whitespace ending in newlines is one piece
        assertEquals(List.of("a", " \n\n", "b"), split("llama3", "a \n\nb"));
    }

    @Test
    void qwen2DigitsOneByOne() {
        assertEquals(List.of("abc", " ", "1", "2", "3"), split("qwen2", "abc 123"));
    }

    @Test
    void defaultSplitsPunctuationThenDigitTriples() {
        assertEquals(List.of("a", "+", "b", "=", "123", "45", ",", " x"), split("default", "a+b=12345, x"));
    }

    @Test
    void unknownNamesUseDefault() {
        assertEquals(PreTokenizer.forName("default").patterns(), PreTokenizer.forName("no-such-pre").patterns());
        assertEquals(PreTokenizer.forName("default").patterns(), PreTokenizer.forName("").patterns());
    }

    @Test
    void deepseek() {
        assertEquals(List.of("ab", " ", "1", "2"), split("deepseek-coder", "ab 12"));
        assertEquals(List.of("Ab", ".", "\n", "12"), split("deepseek-llm", "Ab.\n12"));
        assertEquals(List.of("中文", " x"), split("deepseek-llm", "中文 x"));
        // Armenian lowercase is outside DeepSeek's letter class, uppercase inside; the ASCII class of the
        // third pattern then cuts the trailing "b" off " Աb"
        assertEquals(List.of("ա", "b", " Ա", "b"), split("deepseek-llm", "աb Աb"));
    }

    @Test
    void falconStarcoderMpt() {
        assertEquals(List.of("x", "$", "y", " ", "123", "4"), split("falcon", "x$y 1234"));
        assertEquals(List.of("a", "1", "2", " b"), split("starcoder", "a12 b"));
        assertEquals(List.of("a", "1", "2", " b"), split("refact", "a12 b"));
        assertEquals(List.of("a", "1", "2", " b"), split("command-r", "a12 b"));
        assertEquals(List.of("a", "12", " b"), split("mpt", "a12 b"));
    }

    @Test
    void flags() {
        assertEquals(true, PreTokenizer.forName("llama-bpe").ignoreMerges());
        assertEquals(false, PreTokenizer.forName("gpt-2").ignoreMerges());
        assertEquals(false, PreTokenizer.forName("qwen2").cleanSpaces());
        assertEquals(true, PreTokenizer.forName("gpt-2").cleanSpaces());
    }
}
