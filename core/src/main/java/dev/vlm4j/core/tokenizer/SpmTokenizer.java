package dev.vlm4j.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE ({@code tokenizer.ggml.model = llama}) as llama.cpp's {@code llm_tokenizer_spm}: spaces
 * become U+2581, the text splits into characters, and the adjacent pair whose concatenation is the
 * highest-scoring vocabulary token merges first (ties: leftmost) until no pair is a token. Pieces that are
 * not tokens are re-split along their merge history and, failing that, emitted as {@code <0xXX>} byte tokens.
 */
final class SpmTokenizer extends VocabTokenizer {
    static final char SPACE_MARK = '\u2581';

    /** Byte value → its byte-fallback token, -1 if none. */
    private final int[] byteTokens = new int[256];

    SpmTokenizer(Vocabulary vocab) {
        super(vocab);
        for (int b = 0; b < 256; b++) {
            int id = lookup(String.format("<0x%02X>", b));
            if (id < 0 && b < 0x80) id = lookup(String.valueOf((char) b));
            byteTokens[b] = id;
        }
    }

    @Override
    boolean cleanSpaces() { return false; }

    @Override
    byte[] normalPiece(int id) {
        return vocab.tokens()[id].replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void encodeText(String fragment, boolean afterSpecial, IntList out) {
        String text = (vocab.addSpacePrefix() && afterSpecial ? " " + fragment : fragment).replace(' ', SPACE_MARK);
        new Session(text).run(out);
    }

    /** One tokenization: symbols are code points of {@code text}, linked as a list that merges shrink. */
    private final class Session {
        private final String text;
        private final int[] start, len, prev, next;
        private final PriorityQueue<Bigram> queue = new PriorityQueue<>(
                (a, b) -> a.score > b.score ? -1 : a.score < b.score ? 1 : Integer.compare(a.left, b.left));
        /** Merged text → the two symbols it came from (the last such merge, as llama.cpp's rev_merge). */
        private final Map<String, int[]> revMerge = new HashMap<>();

        private record Bigram(int left, int right, float score, int size) {}

        Session(String text) {
            this.text = text;
            int n = text.codePointCount(0, text.length());
            start = new int[n];
            len = new int[n];
            prev = new int[n];
            next = new int[n];
            for (int i = 0, off = 0; i < n; i++) {
                int cl = Character.charCount(text.codePointAt(off));
                start[i] = off;
                len[i] = cl;
                prev[i] = i - 1;
                next[i] = i + 1 < n ? i + 1 : -1;
                off += cl;
            }
        }

        void run(IntList out) {
            int n = start.length;
            if (n == 0) return;
            for (int i = 1; i < n; i++) tryAddBigram(i - 1, i);
            while (!queue.isEmpty()) {
                Bigram b = queue.poll();
                // stale: one side was merged away or grew since this pair was queued
                if (len[b.left] == 0 || len[b.right] == 0 || len[b.left] + len[b.right] != b.size) continue;
                len[b.left] += len[b.right];
                len[b.right] = 0;
                next[b.left] = next[b.right];
                if (next[b.right] >= 0) prev[next[b.right]] = b.left;
                tryAddBigram(prev[b.left], b.left);
                tryAddBigram(b.left, next[b.left]);
            }
            for (int i = 0; i != -1; i = next[i]) resegment(i, out);
        }

        private String symbolText(int i) {
            return text.substring(start[i], start[i] + len[i]);
        }

        private void tryAddBigram(int left, int right) {
            if (left < 0 || right < 0) return;
            String merged = text.substring(start[left], start[left] + len[left] + len[right]);
            int id = lookup(merged);
            if (id < 0) return;
            queue.add(new Bigram(left, right, vocab.scores()[id], merged.length()));
            revMerge.put(merged, new int[] {left, right});
        }

        private void resegment(int sym, IntList out) {
            String s = symbolText(sym);
            int id = lookup(s);
            if (id >= 0) {
                out.add(id);
                return;
            }
            int[] parts = revMerge.get(s);
            if (parts == null) {
                for (byte b : s.getBytes(StandardCharsets.UTF_8)) out.add(byteToken(b & 0xFF));
                return;
            }
            resegment(parts[0], out);
            resegment(parts[1], out);
        }
    }

    private int byteToken(int b) {
        int id = byteTokens[b];
        if (id >= 0) return id;
        if (vocab.unk() >= 0) return vocab.unk();
        throw new IllegalArgumentException(String.format(
                "cannot encode byte 0x%02X: the vocabulary has neither a <0x%02X> byte token nor an unknown token", b, b));
    }
}
