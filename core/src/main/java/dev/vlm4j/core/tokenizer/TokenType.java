package dev.vlm4j.core.tokenizer;

/** Per-token type as stored in {@code tokenizer.ggml.token_type} (llama.cpp's {@code llama_token_type} ids). */
public enum TokenType {
    UNDEFINED(0),
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    private final int id;

    TokenType(int id) {
        this.id = id;
    }

    public int id() { return id; }

    /** The type stored as {@code id}; ids outside 0..6 read as {@link #UNDEFINED}, as llama.cpp does. */
    public static TokenType fromId(int id) {
        for (TokenType t : values()) {
            if (t.id == id) return t;
        }
        return UNDEFINED;
    }
}
