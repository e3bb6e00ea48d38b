package dev.vlm4j.models;

/**
 * A piece of a multimodal prompt as the decoder sees it: token ids, or image embeddings that enter
 * the decoder at consecutive positions.
 */
public sealed interface PromptPart permits PromptPart.Tokens, PromptPart.Embeddings {

    /** Decoder positions this part takes. */
    int length();

    /**
     * The id this part's position {@code i} has in the session history, for prefix reuse: the token
     * id, or for images a negative id derived from the image's content hash.
     */
    int historyId(int i);

    record Tokens(int[] ids) implements PromptPart {
        public int length() { return ids.length; }
        public int historyId(int i) { return ids[i]; }
    }

    /**
     * @param data  row-major {@code [n_tokens][n_embd]} floats (ggml {@code [n_embd, n_tokens]})
     * @param nEmbd embedding width
     * @param hash  content hash of the image they came from
     */
    record Embeddings(float[] data, int nEmbd, String hash) implements PromptPart {
        public int length() { return data.length / nEmbd; }
        public int historyId(int i) { return -1 - ((hash.hashCode() * 31 + i) & 0x3fffffff); }
    }
}
