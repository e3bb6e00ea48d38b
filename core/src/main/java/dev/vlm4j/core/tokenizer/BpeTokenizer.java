package dev.vlm4j.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE ({@code tokenizer.ggml.model = gpt2}) as llama.cpp's {@code llm_tokenizer_bpe}: the text is
 * pre-tokenized by the vocabulary's regexes, each pre-token's UTF-8 bytes are written in GPT-2's byte
 * alphabet, and adjacent symbols merge by merge rank (lowest first, ties leftmost) while a ranked pair exists.
 * A final symbol that is not a token falls back to its single-byte tokens.
 */
final class BpeTokenizer extends VocabTokenizer {
    private record Pair(String left, String right) {}

    private final Map<Pair, Integer> ranks;
    private final PreTokenizer preTokenizer;

    BpeTokenizer(Vocabulary vocab) {
        super(vocab);
        String[] merges = vocab.merges();
        ranks = HashMap.newHashMap(merges.length);
        for (int i = 0; i < merges.length; i++) {
            String m = merges[i];
            // split at the first space after position 0, as llama.cpp (a merge may start with a space token)
            int sp = m.indexOf(' ', 1);
            Pair p = sp < 0 ? new Pair("", "") : new Pair(m.substring(0, sp), m.substring(sp + 1));
            ranks.putIfAbsent(p, i);
        }
        preTokenizer = PreTokenizer.forName(vocab.pre());
    }

    @Override
    boolean cleanSpaces() { return preTokenizer.cleanSpaces(); }

    @Override
    byte[] normalPiece(int id) {
        String text = vocab.tokens()[id];
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int b = ByteUnicode.decode(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                // outside the byte alphabet: llama.cpp writes a marker with the character's bytes and the token text
                StringBuilder marker = new StringBuilder("[UNK_BYTE_0x");
                for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) marker.append(String.format("%02x", x & 0xFF));
                marker.append(text).append(']');
                out.writeBytes(marker.toString().getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        for (String word : preTokenizer.split(text)) {
            encodeWord(ByteUnicode.encode(word.getBytes(StandardCharsets.UTF_8)), out);
        }
    }

    private record Bigram(int left, int right, int rank, int size) {}

    /** Merges one pre-token, given in the byte alphabet (one char per byte). */
    private void encodeWord(String word, IntList out) {
        if (preTokenizer.ignoreMerges()) {
            int id = lookup(word);
            if (id >= 0) {
                out.add(id);
                return;
            }
        }
        int n = word.length();
        int[] len = new int[n], prev = new int[n], next = new int[n];
        for (int i = 0; i < n; i++) {
            len[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>(
                (a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < n; i++) addBigram(word, i - 1, i, len, queue);
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            // stale: a side was merged away or grew (symbols start at fixed offsets, so the length decides)
            if (len[b.left] == 0 || len[b.right] == 0 || len[b.left] + len[b.right] != b.size) continue;
            len[b.left] += len[b.right];
            len[b.right] = 0;
            next[b.left] = next[b.right];
            if (next[b.right] >= 0) prev[next[b.right]] = b.left;
            addBigram(word, prev[b.left], b.left, len, queue);
            addBigram(word, b.left, next[b.left], len, queue);
        }
        for (int i = 0; i != -1 && n > 0; i = next[i]) {
            String sym = word.substring(i, i + len[i]);
            int id = lookup(sym);
            if (id >= 0) {
                out.add(id);
            } else {
                for (int j = 0; j < sym.length(); j++) {
                    int bid = lookup(String.valueOf(sym.charAt(j)));
                    if (bid >= 0) out.add(bid); // a byte without a token is dropped, as in llama.cpp
                }
            }
        }
    }

    private void addBigram(String word, int left, int right, int[] len, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) return;
        Integer rank = ranks.get(new Pair(word.substring(left, left + len[left]), word.substring(right, right + len[right])));
        if (rank != null) queue.add(new Bigram(left, right, rank, len[left] + len[right]));
    }
}
