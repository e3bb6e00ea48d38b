package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SentencePiece on a hand-made vocabulary; expected ids follow the merge rules step by step. */
class SpmTokenizerTest {
    private final TestVocabs.Rows rows = TestVocabs.spm();
    private final Tokenizer tok = Tokenizer.of(rows.builder("llama").build());

    private int id(String t) { return rows.id(t); }

    private static int byteId(int b) { return 3 + b; }

    @Test
    void mergesHighestScoreFirst() {
        // "▁abc": pairs ▁a(-1) ab(-2) bc(-0.5); bc merges first, then ▁a; ab and abc are then stale
        assertArrayEquals(new int[] {id("▁a"), id("bc")}, tok.encode("abc", false, false));
    }

    @Test
    void equalScoresMergeLeftmostFirst() {
        Tokenizer noPrefix = Tokenizer.of(rows.builder("llama").addSpacePrefix(false).build());
        // "aaa": both pairs are "aa" with the same score; the left one wins, leaving "a"
        assertArrayEquals(new int[] {id("aa"), id("a")}, noPrefix.encode("aaa", false, false));
    }

    @Test
    void spacePrefixAndSpacesBecomeU2581() {
        // " a" → "▁▁a": ▁a merges (score -1), the first ▁ stays alone
        assertArrayEquals(new int[] {id("▁"), id("▁a")}, tok.encode(" a", false, false));
        Tokenizer noPrefix = Tokenizer.of(rows.builder("llama").addSpacePrefix(false).build());
        assertArrayEquals(new int[] {id("a"), id("▁a")}, noPrefix.encode("a a", false, false));
    }

    @Test
    void unknownCharactersFallBackToByteTokens() {
        // é = C3 A9, 😁 = F0 9F 98 81
        assertArrayEquals(new int[] {id("▁"), byteId(0xC3), byteId(0xA9)}, tok.encode("é", false, false));
        assertArrayEquals(new int[] {id("▁"), byteId(0xF0), byteId(0x9F), byteId(0x98), byteId(0x81)},
                tok.encode("😁", false, false));
    }

    @Test
    void withoutByteTokensUnknownCharactersBecomeUnk() {
        TestVocabs.Rows r = new TestVocabs.Rows().add("<unk>", 0, TokenType.UNKNOWN).add("<s>", 0, TokenType.CONTROL)
                .add("</s>", 0, TokenType.CONTROL).add("▁", -1).add("x", -1);
        Tokenizer t = Tokenizer.of(r.builder("llama").build());
        assertArrayEquals(new int[] {3, 0, 0, 4}, t.encode("éx", false, false)); // ▁, two bytes of é, x
    }

    @Test
    void bosEosAndEmptyInput() {
        assertArrayEquals(new int[] {1, id("▁a")}, tok.encode("a", true, false));
        assertArrayEquals(new int[] {id("▁a")}, tok.encode("a", false, false));
        assertArrayEquals(new int[] {1}, tok.encode("", true, false));
        assertArrayEquals(new int[0], tok.encode("", false, false));
        Tokenizer withEos = Tokenizer.of(rows.builder("llama").addEos(true).build());
        assertArrayEquals(new int[] {1, id("▁a"), 2}, withEos.encode("a", true, false));
        Tokenizer noBos = Tokenizer.of(rows.builder("llama").addBos(false).build());
        assertArrayEquals(new int[] {id("▁a")}, noBos.encode("a", true, false));
    }

    @Test
    void controlTokensAreParsedOnlyWhenAsked() {
        // fragments "a", </s>, "b": text after a special token gets the space prefix again
        assertArrayEquals(new int[] {id("▁a"), 2, id("▁"), id("b")}, tok.encode("a</s>b", false, true));
        // as text, "</s>" has no pieces and falls back to the bytes of < / s >
        assertArrayEquals(new int[] {id("▁a"), byteId('<'), byteId('/'), byteId('s'), byteId('>'), id("b")},
                tok.encode("a</s>b", false, false));
    }

    @Test
    void userDefinedTokensAreAlwaysMatched() {
        int tool = id("<tool>");
        assertArrayEquals(new int[] {id("▁a"), tool, id("▁"), id("b")}, tok.encode("a<tool>b", false, false));
        assertArrayEquals(new int[] {tool, tool}, tok.encode("<tool><tool>", false, false));
    }

    @Test
    void decodeStripsTheFirstSpaceAndJoinsBytes() {
        assertEquals("abc", tok.decode(new int[] {id("▁a"), id("bc")}));
        assertEquals("é", tok.decode(new int[] {id("▁"), byteId(0xC3), byteId(0xA9)}));
        // BOS renders as nothing but still consumes the leading-space removal, as in llama.cpp
        assertEquals(" abc", tok.decode(new int[] {1, id("▁a"), id("bc")}));
        assertEquals("a<tool>", tok.decode(new int[] {id("▁a"), id("<tool>"), 2}));
        // a lone continuation byte is malformed UTF-8
        assertEquals("\uFFFD", tok.decode(new int[] {byteId(0x80)}));
    }

    @Test
    void roundTrips() {
        for (String s : new String[] {"abc", "a b  c", "héllo wörld 😁", "aaa\nbc\t", " leading"}) {
            assertEquals(s, tok.decode(tok.encode(s, false, false)), s);
        }
        // llama.cpp prefixes a space to text after a special token, and that space survives decoding
        assertEquals("a<tool> b", tok.decode(tok.encode("a<tool>b", false, false)));
    }

    @Test
    void tokenBytesAndTexts() {
        assertArrayEquals(" a".getBytes(StandardCharsets.UTF_8), tok.tokenBytes(id("▁a")));
        assertArrayEquals(new byte[] {(byte) 0xC3}, tok.tokenBytes(byteId(0xC3)));
        assertArrayEquals(new byte[0], tok.tokenBytes(1));
        assertEquals("▁a", tok.tokenText(id("▁a")));
        assertThrows(IllegalArgumentException.class, () -> tok.tokenBytes(rows.texts.size()));
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
    }

    @Test
    void specialIds() {
        assertEquals(1, tok.bos());
        assertEquals(2, tok.eos());
        assertEquals(-1, tok.eot());
        assertTrue(tok.isEog(2));
        assertFalse(tok.isEog(1));
        assertEquals(rows.texts.size(), tok.vocabSize());
    }
}
