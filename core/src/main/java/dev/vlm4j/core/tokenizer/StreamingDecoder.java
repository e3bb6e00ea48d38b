package dev.vlm4j.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns generated token ids, fed one at a time, into text as soon as it is complete UTF-8: a character whose
 * bytes arrive in several byte tokens is held back until its last byte. Bytes that can never form a valid
 * character are emitted as U+FFFD right away. Token pieces are {@link Tokenizer#tokenBytes} (control tokens
 * add nothing; no leading-space removal or space clean-up, as llama.cpp's per-token streaming). Not thread-safe.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private byte[] pending = new byte[0];

    public StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** Adds token {@code id}; returns the text that became complete (possibly empty). */
    public String accept(int id) {
        byte[] piece = tokenizer.tokenBytes(id);
        if (piece.length == 0) return "";
        byte[] buf = Arrays.copyOf(pending, pending.length + piece.length);
        System.arraycopy(piece, 0, buf, pending.length, piece.length);
        int cut = buf.length - incompleteTail(buf);
        pending = Arrays.copyOfRange(buf, cut, buf.length);
        return new String(buf, 0, cut, StandardCharsets.UTF_8);
    }

    /** Returns the held-back bytes (an unfinished character, as U+FFFD) and resets the decoder. */
    public String flush() {
        String s = new String(pending, StandardCharsets.UTF_8);
        pending = new byte[0];
        return s;
    }

    /** Whether bytes of an unfinished character are held back. */
    public boolean hasPending() {
        return pending.length > 0;
    }

    /**
     * The length of the longest suffix of {@code b} that is a proper prefix of a valid UTF-8 sequence (so more
     * bytes may complete it); 0 when {@code b} ends on a character boundary or with bytes that cannot be
     * completed.
     */
    static int incompleteTail(byte[] b) {
        int n = b.length;
        // a lead byte is at most 3 bytes back from the end of an unfinished sequence
        for (int k = 1; k <= Math.min(3, n); k++) {
            int lead = b[n - k] & 0xFF;
            if (lead < 0x80) return 0;
            if (lead < 0xC0) continue; // continuation byte: look further back
            int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (lead < 0xC2 || lead > 0xF4 || k >= need) return 0; // invalid lead, or the sequence is complete
            return validPrefix(b, n - k, k) ? k : 0;
        }
        return 0;
    }

    /** Whether the {@code k} bytes at {@code off} (lead byte first) can still start a valid sequence. */
    private static boolean validPrefix(byte[] b, int off, int k) {
        int lead = b[off] & 0xFF;
        if (k >= 2) {
            int c1 = b[off + 1] & 0xFF;
            // second-byte limits exclude overlongs, surrogates and code points above U+10FFFF
            int lo = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
            int hi = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
            if (c1 < lo || c1 > hi) return false;
        }
        return k < 3 || (b[off + 2] & 0xC0) == 0x80;
    }
}
