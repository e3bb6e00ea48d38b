package dev.vlm4j.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link StreamingDecoder} (named for the {@code *Token*} test selection). */
class TokenStreamingDecoderTest {
    private final TestVocabs.Rows rows = TestVocabs.spm();
    private final Tokenizer tok = Tokenizer.of(rows.builder("llama").build());

    private static int byteId(int b) { return 3 + b; }

    @Test
    void holdsBackACharacterSplitAcrossByteTokens() {
        StreamingDecoder d = new StreamingDecoder(tok);
        // 😁 = F0 9F 98 81
        assertEquals("", d.accept(byteId(0xF0)));
        assertEquals("", d.accept(byteId(0x9F)));
        assertEquals("", d.accept(byteId(0x98)));
        assertTrue(d.hasPending());
        assertEquals("😁", d.accept(byteId(0x81)));
        assertFalse(d.hasPending());
        assertEquals(" a", d.accept(rows.id("▁a")));
        assertEquals("", d.accept(byteId(0xC3)));
        assertEquals("é", d.accept(byteId(0xA9)));
        assertEquals("", d.accept(1)); // control token: nothing
        assertEquals("", d.flush());
    }

    @Test
    void malformedBytesBecomeReplacementCharactersAtOnce() {
        StreamingDecoder d = new StreamingDecoder(tok);
        assertEquals("\uFFFD", d.accept(byteId(0x80))); // lone continuation byte
        assertEquals("", d.accept(byteId(0xE2)));
        assertEquals("\uFFFD a", d.accept(rows.id("▁a"))); // E2 cut short by a space
        assertEquals("", d.accept(byteId(0xE0)));
        assertEquals("\uFFFD\uFFFD", d.accept(byteId(0x80))); // E0 80 is overlong: both bytes invalid
        assertEquals("", d.accept(byteId(0xF0)));
        assertEquals("\uFFFD", d.flush()); // unfinished at the end
        assertFalse(d.hasPending());
    }

    @Test
    void incompleteTail() {
        assertEquals(0, StreamingDecoder.incompleteTail(new byte[] {'a'}));
        assertEquals(1, StreamingDecoder.incompleteTail(new byte[] {'a', (byte) 0xE2}));
        assertEquals(2, StreamingDecoder.incompleteTail(new byte[] {(byte) 0xE2, (byte) 0x82}));
        assertEquals(0, StreamingDecoder.incompleteTail(new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}));
        assertEquals(3, StreamingDecoder.incompleteTail(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}));
        assertEquals(0, StreamingDecoder.incompleteTail(new byte[] {(byte) 0xED, (byte) 0xA0})); // surrogate
        assertEquals(0, StreamingDecoder.incompleteTail(new byte[] {(byte) 0xF5})); // beyond U+10FFFF
        assertEquals(0, StreamingDecoder.incompleteTail(new byte[] {(byte) 0xC0})); // overlong lead
        assertEquals(0, StreamingDecoder.incompleteTail(new byte[0]));
    }

    @Test
    void streamEqualsWholeDecodeOfTheSamePieces() {
        String s = "héllo wörld 😁 abc";
        int[] ids = tok.encode(s, false, false);
        StreamingDecoder d = new StreamingDecoder(tok);
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            String part = d.accept(id);
            assertFalse(part.contains("\uFFFD"), part);
            out.append(part);
        }
        out.append(d.flush());
        assertEquals(" " + s, out.toString()); // streaming keeps the space prefix
    }
}
