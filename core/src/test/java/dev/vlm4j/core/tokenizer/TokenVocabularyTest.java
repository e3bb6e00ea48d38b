package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Vocabulary} defaults and validation (named for the {@code *Token*} test selection). */
class TokenVocabularyTest {
    private static String[] tokens(int n) {
        String[] t = new String[n];
        for (int i = 0; i < n; i++) t[i] = "t" + i;
        return t;
    }

    @Test
    void llamaCppDefaultsPerModel() {
        Vocabulary spm = Vocabulary.builder("llama", tokens(10)).build();
        assertEquals(1, spm.bos());
        assertEquals(2, spm.eos());
        assertEquals(0, spm.unk());
        assertTrue(spm.addBos());
        assertTrue(spm.addSpacePrefix());

        Vocabulary bert = Vocabulary.builder("bert", tokens(200)).build();
        assertEquals(101, bert.bos());
        assertEquals(102, bert.sep());
        assertEquals(100, bert.unk());
        assertTrue(bert.addSep());
        assertFalse(bert.addSpacePrefix());

        Vocabulary gpt2 = Vocabulary.builder("gpt2", tokens(20)).pre("gpt-2").build();
        assertEquals(11, gpt2.bos());
        assertFalse(gpt2.addBos());
        assertTrue(Vocabulary.builder("gpt2", tokens(20)).pre("llama-bpe").build().addBos());
    }

    @Test
    void idsOutsideTheVocabulary() {
        // a default beyond the vocabulary is disabled; an explicit bad id keeps the default
        Vocabulary small = Vocabulary.builder("llama", tokens(2)).addBos(false).build();
        assertEquals(-1, small.eos());
        Vocabulary v = Vocabulary.builder("llama", tokens(10)).eos(4_294_967_295L).bos(5).build();
        assertEquals(2, v.eos());
        assertEquals(5, v.bos());
    }

    @Test
    void inconsistentInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder("llama", tokens(3)).scores(new float[2]).build());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder("llama", tokens(3)).types(new TokenType[4]).build());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder("llama", tokens(1)).build()); // add_bos without BOS
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.builder("t5", tokens(3)).build());
        assertTrue(e.getMessage().contains("t5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary("llama", "", tokens(3), null, null, null,
                1, 2, -1, -1, 7, -1, -1, true, false, false, true));
    }

    @Test
    void tokenTypeIds() {
        assertEquals(TokenType.CONTROL, TokenType.fromId(3));
        assertEquals(TokenType.BYTE, TokenType.fromId(6));
        assertEquals(TokenType.UNDEFINED, TokenType.fromId(42));
    }
}
