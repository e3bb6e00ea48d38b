package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** WordPiece on a hand-made vocabulary; word-initial pieces carry U+2581 as in llama.cpp's BERT GGUFs. */
class WpmTokenizerTest {
    private final TestVocabs.Rows rows = new TestVocabs.Rows()
            .add("[PAD]", 0, TokenType.CONTROL).add("[UNK]", 0, TokenType.CONTROL)
            .add("[CLS]", 0, TokenType.CONTROL).add("[SEP]", 0, TokenType.CONTROL)
            .add("▁hello").add("▁world").add("▁un").add("aff").add("able").add("▁!").add("▁,")
            .add("▁fuhrer").add("▁中").add("▁a");
    private final Tokenizer tok = Tokenizer.of(rows.builder("bert").pad(0).unk(1).bos(2).sep(3).build());

    private int id(String t) { return rows.id(t); }

    @Test
    void punctuationSplitsAndCaseFolds() {
        assertArrayEquals(new int[] {id("▁hello"), id("▁,"), id("▁world"), id("▁!")}, tok.encode("Hello, World!", false, false));
    }

    @Test
    void longestMatchFirst() {
        assertArrayEquals(new int[] {id("▁un"), id("aff"), id("able")}, tok.encode("unaffable", false, false));
    }

    @Test
    void uncoverableWordIsOneUnknown() {
        // "▁un" matches, then "afx" has no piece: the whole word becomes [UNK]
        assertArrayEquals(new int[] {1, id("▁hello")}, tok.encode("unafx hello", false, false));
    }

    @Test
    void accentsControlsAndCjk() {
        assertArrayEquals(new int[] {id("▁fuhrer")}, tok.encode("Führer", false, false));
        assertArrayEquals(new int[] {id("▁hello")}, tok.encode("hel\u200Blo", false, false)); // U+200B is a format char
        assertArrayEquals(new int[] {id("▁中"), id("▁a")}, tok.encode("中a", false, false));
        assertEquals(List.of("a", "$", "b", "€b"), WpmTokenizer.preprocess("a$b €b"));
    }

    @Test
    void clsAndSep() {
        assertArrayEquals(new int[] {2, id("▁hello"), 3}, tok.encode("hello", true, false));
        assertArrayEquals(new int[] {2, 3}, tok.encode("", true, false));
    }

    @Test
    void decodeUnescapesAndCleans() {
        assertEquals(" hello, world!", tok.decode(new int[] {id("▁hello"), id("▁,"), id("▁world"), id("▁!")}));
        assertEquals(" unaffable", tok.decode(new int[] {id("▁un"), id("aff"), id("able")}));
    }
}
