package dev.vlm4j.core.tokenizer;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece ({@code tokenizer.ggml.model = bert}) as llama.cpp's {@code llm_tokenizer_wpm}. Each character
 * is replaced by the first character of its canonical decomposition (so accents on precomposed letters go)
 * and lowercased; whitespace separates words, controls are dropped, and punctuation, ASCII symbols and CJK
 * ideographs become one-character words. Each word, with U+2581 prefixed (llama.cpp's GGUF writes BERT's
 * word-initial pieces with it and {@code ##} continuations without), is covered greedily by the longest
 * vocabulary tokens; a word that cannot be covered becomes one unknown token.
 */
final class WpmTokenizer extends VocabTokenizer {
    private final int maxTokenChars;

    WpmTokenizer(Vocabulary vocab) {
        super(vocab);
        int max = 0;
        for (String t : vocab.tokens()) max = Math.max(max, t.length());
        maxTokenChars = max;
    }

    @Override
    boolean cleanSpaces() { return true; }

    @Override
    byte[] normalPiece(int id) {
        return vocab.tokens()[id].replace(SpmTokenizer.SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        for (String word : preprocess(text)) {
            String w = SpmTokenizer.SPACE_MARK + word;
            int n = w.length();
            int before = out.size();
            for (int i = 0; i < n; ) {
                int matchEnd = -1;
                for (int j = Math.min(n, i + maxTokenChars); j > i; j--) {
                    if (j < n && Character.isLowSurrogate(w.charAt(j))) continue; // never split a character
                    int id = lookup(w.substring(i, j));
                    if (id >= 0) {
                        out.add(id);
                        matchEnd = j;
                        break;
                    }
                }
                if (matchEnd < 0) {
                    out.truncate(before); // a word with an uncoverable rest is dropped whole
                    break;
                }
                i = matchEnd;
            }
            if (out.size() == before) {
                if (vocab.unk() < 0) throw new IllegalArgumentException("word '" + word + "' has no WordPiece cover and the vocabulary has no unknown token");
                out.add(vocab.unk());
            }
        }
    }

    /** Normalizes and splits {@code text} into words as llama.cpp's WordPiece preprocessing. */
    static List<String> preprocess(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            cp = decompositionBase(cp);
            if (isWhitespace(cp)) {
                flush(cur, words);
                continue;
            }
            int type = Character.getType(cp);
            if (cp == 0 || cp == 0xFFFD || isControl(type)) continue;
            int lower = Character.toLowerCase(cp);
            if (isPunctuation(type) || (cp < 0x7F && isSymbol(type)) || isChinese(cp)) {
                flush(cur, words);
                words.add(new String(Character.toChars(lower)));
            } else {
                cur.appendCodePoint(lower);
            }
        }
        flush(cur, words);
        return words;
    }

    private static void flush(StringBuilder cur, List<String> words) {
        if (!cur.isEmpty()) {
            words.add(cur.toString());
            cur.setLength(0);
        }
    }

    /** The first code point of {@code cp}'s canonical decomposition (llama.cpp's one-to-one NFD table). */
    static int decompositionBase(int cp) {
        if (cp < 0xC0) return cp;
        String s = new String(Character.toChars(cp));
        String d = Normalizer.normalize(s, Normalizer.Form.NFD);
        return d.equals(s) ? cp : d.codePointAt(0);
    }

    static boolean isWhitespace(int cp) {
        return switch (cp) {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200A;
        };
    }

    /** Unicode category C (llama.cpp's table takes it from \p{C}, which includes unassigned code points). */
    private static boolean isControl(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    private static boolean isPunctuation(int type) {
        return switch (type) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isSymbol(int type) {
        return type == Character.MATH_SYMBOL || type == Character.CURRENCY_SYMBOL
                || type == Character.MODIFIER_SYMBOL || type == Character.OTHER_SYMBOL;
    }

    /** CJK ideograph blocks as BERT's (and llama.cpp's) {@code _is_chinese_char}, including its 0x2B920 quirk. */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
