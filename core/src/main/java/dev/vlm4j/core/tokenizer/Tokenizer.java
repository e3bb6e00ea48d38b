package dev.vlm4j.core.tokenizer;

import dev.vlm4j.core.gguf.GgufFile;

/**
 * Text ↔ token ids with llama.cpp's semantics ({@code llama_tokenize} / {@code llama_detokenize}).
 * Implementations are immutable and thread-safe.
 */
public interface Tokenizer {

    /**
     * Tokenizes {@code text} as llama.cpp's {@code llama_tokenize(text, add_special = addBos, parse_special)}:
     * with {@code addBos} the BOS / EOS / SEP tokens are added as the vocabulary's add_bos / add_eos / add_sep
     * flags say; with {@code parseSpecial} control and user-defined token texts in the input become those
     * tokens (longest first), otherwise only user-defined ones do and control texts are plain text.
     */
    int[] encode(String text, boolean addBos, boolean parseSpecial);

    /**
     * Detokenizes a whole sequence as llama.cpp's {@code llama_detokenize(remove_special = false,
     * unparse_special = false)}: control and unknown tokens render as nothing, the first token loses one
     * leading space when the vocabulary adds a space prefix, byte tokens are reassembled, and the bytes are
     * decoded as UTF-8 (malformed sequences become U+FFFD).
     */
    String decode(int[] ids);

    /**
     * The bytes token {@code id} contributes to text, as {@code llama_token_to_piece(id, lstrip = 0,
     * special = false)}: empty for control and unknown tokens, one raw byte for a byte token (possibly part
     * of a multi-byte UTF-8 character). For streaming; see {@link StreamingDecoder}.
     */
    byte[] tokenBytes(int id);

    int vocabSize();

    /** BOS token id, -1 if none. */
    int bos();

    /** EOS token id, -1 if none. */
    int eos();

    /** End-of-turn token id, -1 if none. */
    int eot();

    /** Whether {@code id} ends generation (EOS, EOT, EOM and llama.cpp's end-of-generation texts). */
    boolean isEog(int id);

    /** The vocabulary text of token {@code id}, as stored (SentencePiece ▁, GPT-2 byte alphabet). */
    String tokenText(int id);

    /** A tokenizer for {@code file}'s {@code tokenizer.ggml.*} metadata; unsupported models throw {@link IllegalArgumentException}. */
    static Tokenizer fromGguf(GgufFile file) {
        return of(Vocabulary.fromGguf(file));
    }

    /** A tokenizer for {@code vocab} by its model type. */
    static Tokenizer of(Vocabulary vocab) {
        return switch (vocab.model()) {
            case "llama" -> new SpmTokenizer(vocab);
            case "gpt2" -> new BpeTokenizer(vocab);
            case "bert" -> new WpmTokenizer(vocab);
            default -> throw new IllegalArgumentException("unsupported tokenizer model '" + vocab.model() + "'; supported: llama, gpt2, bert");
        };
    }
}
