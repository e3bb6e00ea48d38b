package dev.vlm4j.core.tokenizer;

import dev.vlm4j.core.gguf.GgufFile;
import dev.vlm4j.core.gguf.GgufValue;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A tokenizer vocabulary as llama.cpp loads it from {@code tokenizer.ggml.*} metadata.
 *
 * @param model          {@code tokenizer.ggml.model}: {@code llama} (SentencePiece), {@code gpt2} (byte-level BPE)
 *                       or {@code bert} (WordPiece)
 * @param pre            {@code tokenizer.ggml.pre}, the BPE pre-tokenizer name; empty when absent
 * @param tokens         token texts, index = id
 * @param scores         per-token scores (SentencePiece merge priorities), same length as tokens
 * @param types          per-token types, same length as tokens
 * @param merges         BPE merges {@code "left right"}, rank = index; empty for non-BPE models
 * @param bos            ids of the special tokens; -1 when the vocabulary has none
 * @param addBos         add BOS when encoding with {@code addBos = true} (llama.cpp's add_special)
 * @param addEos         add EOS likewise
 * @param addSep         add SEP likewise (BERT)
 * @param addSpacePrefix SentencePiece: prefix a space to text that starts the input or follows a special token
 */
public record Vocabulary(
        String model, String pre, String[] tokens, float[] scores, TokenType[] types, String[] merges,
        int bos, int eos, int eot, int eom, int unk, int sep, int pad,
        boolean addBos, boolean addEos, boolean addSep, boolean addSpacePrefix) {

    private static final System.Logger LOG = System.getLogger(Vocabulary.class.getName());

    /** The tokenizer models this package implements. */
    public static final Set<String> SUPPORTED_MODELS = Set.of("llama", "gpt2", "bert");

    /** BPE pre-tokenizers for which llama.cpp adds BOS by default. */
    private static final Set<String> BPE_ADD_BOS_PRE = Set.of("llama3", "llama-v3", "llama-bpe", "falcon3", "tekken", "chameleon");

    public Vocabulary {
        Objects.requireNonNull(model, "model");
        pre = pre == null ? "" : pre;
        Objects.requireNonNull(tokens, "tokens");
        int n = tokens.length;
        if (scores == null) scores = new float[n];
        if (types == null) {
            types = new TokenType[n];
            Arrays.fill(types, TokenType.NORMAL);
        }
        if (merges == null) merges = new String[0];
        if (scores.length != n) throw new IllegalArgumentException("scores has " + scores.length + " entries, expected " + n + " (one per token)");
        if (types.length != n) throw new IllegalArgumentException("types has " + types.length + " entries, expected " + n + " (one per token)");
        for (int i = 0; i < n; i++) {
            if (tokens[i] == null) throw new IllegalArgumentException("token " + i + " is null");
            if (types[i] == null) throw new IllegalArgumentException("type of token " + i + " is null");
        }
        checkId("bos", bos, n);
        checkId("eos", eos, n);
        checkId("eot", eot, n);
        checkId("eom", eom, n);
        checkId("unk", unk, n);
        checkId("sep", sep, n);
        checkId("pad", pad, n);
        if (addBos && bos < 0) throw new IllegalArgumentException("addBos is true but the vocabulary has no BOS token");
        if (addEos && eos < 0) throw new IllegalArgumentException("addEos is true but the vocabulary has no EOS token");
        if (addSep && sep < 0) throw new IllegalArgumentException("addSep is true but the vocabulary has no SEP token");
    }

    private static void checkId(String name, int id, int n) {
        if (id < -1 || id >= n) throw new IllegalArgumentException(name + " token id " + id + " outside the vocabulary [0, " + n + ")");
    }

    public int size() { return tokens.length; }

    /** A builder preset with llama.cpp's defaults for {@code model} (special ids, add_bos, space prefix). */
    public static Builder builder(String model, String[] tokens) {
        return new Builder(model, tokens);
    }

    /**
     * Maps {@code tokenizer.ggml.*} metadata of {@code file} as llama.cpp's vocabulary loader does: per-model
     * defaults, then the file's special token ids (out-of-range ids are ignored with a warning) and flags.
     * Missing or mistyped required keys throw {@link IllegalArgumentException} naming the file and key.
     */
    public static Vocabulary fromGguf(GgufFile file) {
        String where = String.valueOf(file.path());
        if (!file.has("tokenizer.ggml.model")) {
            throw new IllegalArgumentException("no tokenizer in " + where + ": tokenizer.ggml.model is missing");
        }
        String model = file.requireString("tokenizer.ggml.model");
        if (!SUPPORTED_MODELS.contains(model)) {
            throw new IllegalArgumentException("unsupported tokenizer model '" + model + "' in " + where
                    + " (tokenizer.ggml.model); supported: llama, gpt2, bert");
        }
        String[] tokens = file.requireStringArray("tokenizer.ggml.tokens");
        Builder b = builder(model, tokens).pre(file.optString("tokenizer.ggml.pre").orElse(""));
        int n = tokens.length;
        file.get("tokenizer.ggml.scores").ifPresent(v -> b.scores(prefix(floats(v, where, "tokenizer.ggml.scores"), n, where, "tokenizer.ggml.scores")));
        file.get("tokenizer.ggml.token_type").ifPresent(v -> {
            int[] raw = prefix(ints(v, where, "tokenizer.ggml.token_type"), n, where, "tokenizer.ggml.token_type");
            TokenType[] types = new TokenType[n];
            for (int i = 0; i < n; i++) types[i] = TokenType.fromId(raw[i]);
            b.types(types);
        });
        if (model.equals("gpt2")) {
            if (!file.has("tokenizer.ggml.merges")) throw new IllegalArgumentException("BPE vocabulary in " + where + " lacks tokenizer.ggml.merges");
            b.merges(file.requireStringArray("tokenizer.ggml.merges"));
        }
        optId(file, "tokenizer.ggml.bos_token_id").or(() -> model.equals("bert")
                ? optId(file, "tokenizer.ggml.cls_token_id") : Optional.empty()).ifPresent(b::bos); // BERT's BOS is [CLS]
        optId(file, "tokenizer.ggml.eos_token_id").ifPresent(b::eos);
        optId(file, "tokenizer.ggml.eot_token_id").ifPresent(b::eot);
        optId(file, "tokenizer.ggml.eom_token_id").ifPresent(b::eom);
        optId(file, "tokenizer.ggml.unknown_token_id").ifPresent(b::unk);
        optId(file, "tokenizer.ggml.seperator_token_id").ifPresent(b::sep);
        optId(file, "tokenizer.ggml.padding_token_id").ifPresent(b::pad);
        file.optBool("tokenizer.ggml.add_bos_token").ifPresent(b::addBos);
        file.optBool("tokenizer.ggml.add_eos_token").ifPresent(b::addEos);
        file.optBool("tokenizer.ggml.add_sep_token").ifPresent(b::addSep);
        file.optBool("tokenizer.ggml.add_space_prefix").ifPresent(b::addSpacePrefix);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad tokenizer metadata in " + where + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Long> optId(GgufFile file, String key) {
        return file.get(key).map(v -> {
            try {
                return v.asLong();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(key + " in " + file.path() + ": " + e.getMessage(), e);
            }
        });
    }

    private static float[] floats(GgufValue v, String where, String key) {
        try {
            return v.asFloatArray();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(key + " in " + where + ": " + e.getMessage(), e);
        }
    }

    private static int[] ints(GgufValue v, String where, String key) {
        try {
            return v.asIntArray();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(key + " in " + where + ": " + e.getMessage(), e);
        }
    }

    private static float[] prefix(float[] a, int n, String where, String key) {
        if (a.length < n) throw new IllegalArgumentException(key + " in " + where + " has " + a.length + " entries, fewer than the " + n + " tokens");
        return a.length == n ? a : Arrays.copyOf(a, n);
    }

    private static int[] prefix(int[] a, int n, String where, String key) {
        if (a.length < n) throw new IllegalArgumentException(key + " in " + where + " has " + a.length + " entries, fewer than the " + n + " tokens");
        return a.length == n ? a : Arrays.copyOf(a, n);
    }

    /** Collects a vocabulary; unset fields take llama.cpp's defaults for the model. */
    public static final class Builder {
        private final String model;
        private final String[] tokens;
        private String pre = "";
        private float[] scores;
        private TokenType[] types;
        private String[] merges;
        private Long bos, eos, eot, eom, unk, sep, pad;
        private Boolean addBos, addEos, addSep, addSpacePrefix;

        private Builder(String model, String[] tokens) {
            this.model = Objects.requireNonNull(model, "model");
            this.tokens = Objects.requireNonNull(tokens, "tokens");
        }

        public Builder pre(String v) { pre = v == null ? "" : v; return this; }
        public Builder scores(float[] v) { scores = v; return this; }
        public Builder types(TokenType[] v) { types = v; return this; }
        public Builder merges(String[] v) { merges = v; return this; }
        public Builder bos(long id) { bos = id; return this; }
        public Builder eos(long id) { eos = id; return this; }
        public Builder eot(long id) { eot = id; return this; }
        public Builder eom(long id) { eom = id; return this; }
        public Builder unk(long id) { unk = id; return this; }
        public Builder sep(long id) { sep = id; return this; }
        public Builder pad(long id) { pad = id; return this; }
        public Builder addBos(boolean v) { addBos = v; return this; }
        public Builder addEos(boolean v) { addEos = v; return this; }
        public Builder addSep(boolean v) { addSep = v; return this; }
        public Builder addSpacePrefix(boolean v) { addSpacePrefix = v; return this; }

        public Vocabulary build() {
            int n = tokens.length;
            // llama.cpp's per-model defaults (llama_vocab::impl::load)
            int dBos, dEos, dUnk, dSep = -1, dPad = -1;
            boolean dAddBos, dAddSep = false, dSpace = false;
            switch (model) {
                case "llama" -> { dBos = 1; dEos = 2; dUnk = 0; dAddBos = true; dSpace = true; }
                case "bert" -> { dBos = 101; dEos = -1; dUnk = 100; dSep = 102; dPad = 0; dAddBos = true; dAddSep = true; }
                case "gpt2" -> {
                    dBos = pre.equals("chatglm-bpe") || pre.equals("glm4") ? -1 : 11;
                    dEos = 11;
                    dUnk = -1;
                    dAddBos = BPE_ADD_BOS_PRE.contains(pre);
                }
                default -> throw new IllegalArgumentException("unsupported tokenizer model '" + model + "'; supported: llama, gpt2, bert");
            }
            return new Vocabulary(model, pre, tokens, scores, types, merges,
                    resolve("bos", bos, dBos, n), resolve("eos", eos, dEos, n), resolve("eot", eot, -1, n),
                    resolve("eom", eom, -1, n), resolve("unk", unk, dUnk, n), resolve("sep", sep, dSep, n),
                    resolve("pad", pad, dPad, n),
                    addBos != null ? addBos : dAddBos, addEos != null && addEos,
                    addSep != null ? addSep : dAddSep, addSpacePrefix != null ? addSpacePrefix : dSpace);
        }

        /** As llama.cpp: a default outside the vocabulary is disabled; an explicit bad id keeps the default. */
        private static int resolve(String name, Long explicit, int dflt, int n) {
            int d = dflt >= n ? -1 : dflt;
            if (explicit == null) return d;
            if (explicit < 0 || explicit >= n) {
                // converters write -1 (as uint32 0xFFFFFFFF) for "none": not worth a warning
                boolean none = explicit == -1 || explicit == 0xFFFF_FFFFL;
                LOG.log(none ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING,
                        "bad special token id {0} = {1} (vocabulary size {2}); using {3}",
                        name, Long.toUnsignedString(explicit), Integer.toString(n), Integer.toString(d));
                return d;
            }
            return (int) (long) explicit;
        }
    }
}
