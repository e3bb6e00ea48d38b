package dev.vlm4j.models.testmodel;

import dev.vlm4j.core.gguf.GgufValue;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedMap;
import java.util.stream.Stream;

/**
 * A made-up SentencePiece vocabulary with byte fallback ({@code tokenizer.ggml.model = llama}),
 * laid out as LLaMA's: {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte tokens
 * {@code <0x00>..<0xFF>}, single characters, then merged pieces with descending scores.
 *
 * <p>Merged pieces are every prefix of {@code ▁word} for common English words, then common
 * suffixes, then letter bigrams and trigrams (with and without {@code ▁}), until the vocabulary
 * is full. Because every piece's prefix one character shorter is also a piece, the SPM merge
 * procedure can reach each of them, so ordinary English text tokenizes into multi-character
 * pieces rather than bytes.
 */
public record SyntheticVocab(String[] tokens, float[] scores, int[] types) {

    /** llama.cpp token types. */
    public static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, BYTE = 6;
    public static final int UNK_ID = 0, BOS_ID = 1, EOS_ID = 2;
    /** SentencePiece's word-boundary marker (U+2581). */
    public static final String SPACE = "\u2581";
    /** Id of the first merged piece: after 3 specials, 256 bytes and the single characters. */
    private static final int FIRST_BYTE = 3;

    private static final String CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:;!?'\"-()";

    /** Frequency-ordered common words; the fixtures' prompts are covered. */
    private static final List<String> WORDS = List.of(
            "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as",
            "with", "his", "they", "I", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but",
            "not", "what", "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each", "which",
            "she", "do", "how", "their", "if", "will", "up", "other", "about", "out", "many", "then", "them", "these",
            "so", "some", "her", "would", "make", "like", "him", "into", "time", "has", "look", "two", "more", "write",
            "go", "see", "number", "no", "way", "could", "people", "my", "than", "first", "water", "been", "call",
            "who", "oil", "its", "now", "find", "long", "down", "day", "did", "get", "come", "made", "may", "part",
            "The", "What", "There", "Once", "upon", "little", "girl", "named", "Lily", "She", "loved", "play",
            "outside", "park", "One", "saw", "big", "cat", "dog", "looks", "picture", "image", "Describe", "USER",
            "ASSISTANT", "photo", "red", "blue", "green", "white", "black", "small", "table", "next", "shows",
            "happy", "sun", "tree", "house", "car", "man", "woman", "boy", "friend", "mom", "dad", "went", "very",
            "Tom", "He", "It", "They", "We", "You", "A", "In", "This", "That", "Is", "And", "But", "Yes", "Please");

    private static final List<String> SUFFIXES = List.of("ing", "ed", "er", "ly", "es", "s", "tion", "ment", "ness", "est", "al", "ful");

    /** A vocabulary of exactly {@code size} tokens (at least 259 + the single characters + 1). */
    public static SyntheticVocab spm(int size) {
        int minimum = FIRST_BYTE + 256 + CHARS.length() + 1 + 1;
        if (size < minimum) throw new IllegalArgumentException("vocabulary size " + size + " below the minimum " + minimum);
        String[] tokens = new String[size];
        float[] scores = new float[size];
        int[] types = new int[size];
        tokens[UNK_ID] = "<unk>";
        types[UNK_ID] = UNKNOWN;
        tokens[BOS_ID] = "<s>";
        types[BOS_ID] = CONTROL;
        tokens[EOS_ID] = "</s>";
        types[EOS_ID] = CONTROL;
        for (int b = 0; b < 256; b++) {
            tokens[FIRST_BYTE + b] = String.format("<0x%02X>", b);
            types[FIRST_BYTE + b] = BYTE;
        }
        int id = FIRST_BYTE + 256;
        // Single characters score below every merge: SPM merges by the merged piece's score only.
        LinkedHashSet<String> chars = new LinkedHashSet<>();
        chars.add(SPACE);
        CHARS.codePoints().forEach(c -> chars.add(Character.toString(c)));
        for (String c : chars) {
            tokens[id] = c;
            scores[id] = -1e6f;
            types[id++] = NORMAL;
        }
        int merged = 0;
        for (String piece : (Iterable<String>) mergedPieces()::iterator) {
            if (id == size) break;
            if (chars.contains(piece)) continue;
            tokens[id] = piece;
            scores[id] = -merged++;
            types[id++] = NORMAL;
        }
        if (id < size) throw new IllegalStateException("synthetic vocabulary ran out of pieces at " + id + " of " + size);
        return new SyntheticVocab(tokens, scores, types);
    }

    /** Candidate merged pieces in priority order, without duplicates. */
    private static Stream<String> mergedPieces() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String w : WORDS) addPrefixes(out, SPACE + w);
        for (String s : SUFFIXES) addPrefixes(out, s);
        for (String w : WORDS) addPrefixes(out, w);
        String lower = "etaoinshrdlcumwfgypbvkjxqz";
        for (char a : lower.toCharArray()) out.add(SPACE + a);
        for (char a : lower.toCharArray()) {
            for (char b : lower.toCharArray()) {
                out.add("" + a + b);
                out.add(SPACE + a + b);
            }
        }
        for (char a : lower.toCharArray()) {
            for (char b : lower.toCharArray()) {
                for (char c : lower.toCharArray()) {
                    out.add("" + a + b + c);
                    out.add(SPACE + a + b + c);
                }
            }
        }
        return out.stream();
    }

    /** Adds every prefix of {@code piece} of two or more characters, shortest first. */
    private static void addPrefixes(LinkedHashSet<String> out, String piece) {
        for (int n = 2; n <= piece.length(); n++) out.add(piece.substring(0, n));
    }

    public int size() { return tokens.length; }

    /** The {@code tokenizer.ggml.*} metadata, in the order llama.cpp's converter writes it. */
    public SequencedMap<String, GgufValue> metadata() {
        SequencedMap<String, GgufValue> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", GgufValue.string("llama"));
        m.put("tokenizer.ggml.tokens", GgufValue.strings(tokens.clone()));
        m.put("tokenizer.ggml.scores", GgufValue.f32s(scores.clone()));
        long[] t = new long[types.length];
        for (int i = 0; i < t.length; i++) t[i] = types[i];
        m.put("tokenizer.ggml.token_type", GgufValue.i32s(t));
        m.put("tokenizer.ggml.bos_token_id", GgufValue.u32(BOS_ID));
        m.put("tokenizer.ggml.eos_token_id", GgufValue.u32(EOS_ID));
        m.put("tokenizer.ggml.unknown_token_id", GgufValue.u32(UNK_ID));
        m.put("tokenizer.ggml.add_bos_token", GgufValue.bool(true));
        m.put("tokenizer.ggml.add_eos_token", GgufValue.bool(false));
        return m;
    }
}
