package dev.vlm4j.models;

/** Receives generated tokens as they are sampled; returning false cancels the generation. */
@FunctionalInterface
public interface TokenListener {
    /** The id passed with the last call, which delivers text held back until generation ended. */
    int FLUSH = -1;

    /**
     * @param id   the token id, or {@link #FLUSH} for the final call with held-back text
     * @param text the output text that became final with this token: may be empty while a
     *             multi-byte character or a possible stop string is pending
     */
    boolean onToken(int id, String text);

    TokenListener NONE = (id, text) -> true;
}
