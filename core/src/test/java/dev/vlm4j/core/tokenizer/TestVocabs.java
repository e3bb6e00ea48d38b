package dev.vlm4j.core.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Small in-memory vocabularies whose tokenizations can be worked out by hand. */
final class TestVocabs {
    private TestVocabs() {}

    /** Collects (text, score, type) rows; ids are the insertion order. */
    static final class Rows {
        final List<String> texts = new ArrayList<>();
        final List<Float> scores = new ArrayList<>();
        final List<TokenType> types = new ArrayList<>();

        Rows add(String text, float score, TokenType type) {
            texts.add(text);
            scores.add(score);
            types.add(type);
            return this;
        }

        Rows add(String text, float score) { return add(text, score, TokenType.NORMAL); }

        Rows add(String text) { return add(text, 0f, TokenType.NORMAL); }

        int id(String text) {
            int i = texts.indexOf(text);
            if (i < 0) throw new IllegalArgumentException("no test token " + text);
            return i;
        }

        Vocabulary.Builder builder(String model) {
            float[] s = new float[scores.size()];
            for (int i = 0; i < s.length; i++) s[i] = scores.get(i);
            return Vocabulary.builder(model, texts.toArray(new String[0])).scores(s).types(types.toArray(new TokenType[0]));
        }
    }

    /**
     * SentencePiece: 0 {@code <unk>}, 1 {@code <s>}, 2 {@code </s>}, 3..258 byte tokens {@code <0x00>..<0xFF>},
     * then normal pieces with scores chosen so that merge order matters, and a user-defined {@code <tool>}.
     */
    static Rows spm() {
        Rows r = new Rows()
                .add("<unk>", 0, TokenType.UNKNOWN)
                .add("<s>", 0, TokenType.CONTROL)
                .add("</s>", 0, TokenType.CONTROL);
        for (int b = 0; b < 256; b++) r.add(String.format("<0x%02X>", b), 0, TokenType.BYTE);
        return r.add("▁", -5).add("a", -6).add("b", -6).add("c", -6)
                .add("▁a", -1).add("ab", -2).add("bc", -0.5f).add("abc", -3).add("aa", -1)
                .add("<tool>", 0, TokenType.USER_DEFINED);
    }
}
