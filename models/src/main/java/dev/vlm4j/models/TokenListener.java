package dev.vlm4j.models;

/** Receives generated tokens as they are sampled; returning false cancels the generation. */
@FunctionalInterface
public interface TokenListener {
    /**
     * @param id   the token id
     * @param text the complete UTF-8 text this token finishes (may be empty while a multi-byte character is pending)
     */
    boolean onToken(int id, String text);

    TokenListener NONE = (id, text) -> true;
}
