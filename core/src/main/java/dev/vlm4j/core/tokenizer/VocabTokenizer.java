package dev.vlm4j.core.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What the three tokenizer models share, after llama.cpp's {@code llama_vocab}: token attributes, the
 * special-token partition of the input, BOS/EOS/SEP placement, end-of-generation ids and detokenization.
 * Subclasses tokenize plain text fragments and render normal tokens.
 */
abstract sealed class VocabTokenizer implements Tokenizer permits SpmTokenizer, BpeTokenizer, WpmTokenizer {

    // token attribute bits (llama.cpp's llama_token_attr, reduced to what tokenization reads)
    static final int ATTR_UNDEFINED = 1;
    static final int ATTR_NORMAL = 2;
    static final int ATTR_UNKNOWN = 4;
    static final int ATTR_CONTROL = 8;
    static final int ATTR_USER_DEFINED = 16;
    static final int ATTR_UNUSED = 32;
    static final int ATTR_BYTE = 64;

    /** Texts llama.cpp takes for the end-of-turn token when the file names none. */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<EOT>", "_<EOT>", "<｜end▁of▁sentence｜>");
    /** Texts llama.cpp treats as end of generation. */
    private static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>");

    final Vocabulary vocab;
    final Map<String, Integer> tokenToId;
    final int[] attrs;
    private final int eot;
    private final int eom;
    private final Set<Integer> eogIds = new HashSet<>();
    /** Control, user-defined and unknown tokens, longest text (in UTF-8 bytes) first. */
    private final int[] specialTokens;
    /** {@code tokenBytes} of every token, computed once. */
    private volatile byte[][] pieces;

    VocabTokenizer(Vocabulary vocab) {
        this.vocab = Objects.requireNonNull(vocab, "vocab");
        String[] tokens = vocab.tokens();
        int n = tokens.length;
        tokenToId = HashMap.newHashMap(n);
        attrs = new int[n];
        for (int i = 0; i < n; i++) {
            tokenToId.put(tokens[i], i); // duplicates: the last id wins, as in llama.cpp's loader of early 2025
            attrs[i] = switch (vocab.types()[i]) {
                case NORMAL -> ATTR_NORMAL;
                case UNKNOWN -> ATTR_UNKNOWN;
                case CONTROL -> ATTR_CONTROL;
                case USER_DEFINED -> ATTR_USER_DEFINED;
                case UNUSED -> ATTR_UNUSED;
                case BYTE -> ATTR_BYTE;
                case UNDEFINED -> ATTR_UNDEFINED;
            };
        }
        eot = vocab.eot() >= 0 ? vocab.eot() : findByText(EOT_TEXTS);
        eom = vocab.eom() >= 0 ? vocab.eom() : findByText(List.of("<|eom_id|>"));
        if (eot >= 0) attrs[eot] |= ATTR_CONTROL;
        if (eom >= 0) attrs[eom] |= ATTR_CONTROL;
        for (int i = 0; i < n; i++) {
            if (EOG_TEXTS.contains(tokens[i])) {
                eogIds.add(i);
                attrs[i] |= ATTR_CONTROL; // llama.cpp overrides the type of control-looking tokens
            }
        }
        for (int id : new int[] {vocab.eos(), eot, eom}) {
            if (id >= 0) eogIds.add(id);
        }
        specialTokens = IntStream.range(0, n)
                .filter(i -> (attrs[i] & (ATTR_CONTROL | ATTR_USER_DEFINED | ATTR_UNKNOWN)) != 0 && !tokens[i].isEmpty())
                .boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -utf8Length(tokens[i])).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private int findByText(List<String> texts) {
        int best = -1;
        for (String t : texts) {
            Integer id = tokenToId.get(t);
            if (id != null && (best < 0 || id < best)) best = id;
        }
        return best;
    }

    static int utf8Length(String s) {
        int len = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) len += 1;
            else if (c < 0x800) len += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else len += 3;
        }
        return len;
    }

    /** Tokenizes one plain-text fragment; {@code afterSpecial}: it starts the input or follows a special token. */
    abstract void encodeText(String text, boolean afterSpecial, IntList out);

    /** The text bytes of a NORMAL token. */
    abstract byte[] normalPiece(int id);

    /** Whether detokenization runs llama.cpp's clean-up of spaces before punctuation and contractions. */
    abstract boolean cleanSpaces();

    @Override
    public int[] encode(String text, boolean addBos, boolean parseSpecial) {
        Objects.requireNonNull(text, "text");
        IntList out = new IntList();
        if (addBos && vocab.addBos()) out.add(vocab.bos());
        boolean afterSpecial = true;
        for (Fragment f : partition(text, parseSpecial)) {
            if (f.token >= 0) {
                out.add(f.token);
                afterSpecial = true;
            } else {
                encodeText(text.substring(f.start, f.end), afterSpecial, out);
                afterSpecial = false;
            }
        }
        if (addBos && vocab.addEos()) out.add(vocab.eos());
        if (addBos && vocab.addSep()) out.add(vocab.sep());
        return out.toArray();
    }

    /** A special token ({@code token >= 0}) or the text range [start, end). */
    private record Fragment(int token, int start, int end) {}

    /**
     * Splits {@code text} at special token texts as llama.cpp's {@code tokenizer_st_partition}: each special
     * token in turn, longest first, cuts every remaining text fragment at all its occurrences.
     */
    private List<Fragment> partition(String text, boolean parseSpecial) {
        List<Fragment> frags = new ArrayList<>();
        if (text.isEmpty()) return frags;
        frags.add(new Fragment(-1, 0, text.length()));
        String[] tokens = vocab.tokens();
        for (int id : specialTokens) {
            if (!parseSpecial && (attrs[id] & (ATTR_CONTROL | ATTR_UNKNOWN)) != 0) continue;
            String st = tokens[id];
            List<Fragment> next = null;
            for (int fi = 0; fi < frags.size(); fi++) {
                Fragment f = frags.get(fi);
                int match = f.token >= 0 ? -1 : indexOf(text, st, f.start, f.end);
                if (match < 0) {
                    if (next != null) next.add(f);
                    continue;
                }
                if (next == null) next = new ArrayList<>(frags.subList(0, fi));
                int pos = f.start;
                while (match >= 0) {
                    if (match > pos) next.add(new Fragment(-1, pos, match));
                    next.add(new Fragment(id, 0, 0));
                    pos = match + st.length();
                    match = indexOf(text, st, pos, f.end);
                }
                if (pos < f.end) next.add(new Fragment(-1, pos, f.end));
            }
            if (next != null) frags = next;
        }
        return frags;
    }

    private static int indexOf(String text, String needle, int from, int end) {
        int i = text.indexOf(needle, from);
        return i >= 0 && i + needle.length() <= end ? i : -1;
    }

    @Override
    public String decode(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean removeSpace = vocab.addSpacePrefix();
        for (int id : ids) {
            byte[] p = piece(id);
            int skip = removeSpace && p.length > 0 && p[0] == ' ' ? 1 : 0;
            buf.write(p, skip, p.length - skip);
            removeSpace = false;
        }
        byte[] bytes = buf.toByteArray();
        if (cleanSpaces()) bytes = SpaceCleaner.clean(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return piece(id).clone();
    }

    private byte[] piece(int id) {
        checkId(id);
        byte[][] p = pieces;
        if (p == null) pieces = p = computePieces();
        return p[id];
    }

    private byte[][] computePieces() {
        int n = vocab.size();
        byte[][] p = new byte[n][];
        for (int id = 0; id < n; id++) {
            int a = attrs[id];
            if ((a & (ATTR_CONTROL | ATTR_UNKNOWN)) != 0) p[id] = new byte[0];
            else if ((a & ATTR_USER_DEFINED) != 0) p[id] = vocab.tokens()[id].getBytes(StandardCharsets.UTF_8);
            else if ((a & ATTR_NORMAL) != 0) p[id] = normalPiece(id);
            else if ((a & ATTR_BYTE) != 0) p[id] = bytePiece(vocab.tokens()[id]);
            else p[id] = new byte[0]; // unused and undefined tokens render as nothing, as in llama.cpp
        }
        return p;
    }

    /** {@code <0xXX>} → that byte; any other text of a byte token → its UTF-8 bytes. */
    static byte[] bytePiece(String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            int hi = Character.digit(text.charAt(3), 16), lo = Character.digit(text.charAt(4), 16);
            if (hi >= 0 && lo >= 0) return new byte[] {(byte) (hi * 16 + lo)};
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocab.size()) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocab.size() + ")");
        }
    }

    @Override
    public int vocabSize() { return vocab.size(); }

    @Override
    public int bos() { return vocab.bos(); }

    @Override
    public int eos() { return vocab.eos(); }

    @Override
    public int eot() { return eot; }

    @Override
    public boolean isEog(int id) { return eogIds.contains(id); }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return vocab.tokens()[id];
    }

    /** The token for {@code text}, or -1. */
    final int lookup(String text) {
        Integer id = tokenToId.get(text);
        return id == null ? -1 : id;
    }
}
