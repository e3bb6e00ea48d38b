package dev.vlm4j.core.backend;

/** The operations of the {@link Backend} SPI; {@link Backend#supports} is asked per op and types. */
public enum Op {
    MATMUL,
    MATMUL_LORA,
    ATTENTION,
    RMS_NORM,
    LAYER_NORM,
    ROPE,
    SOFTMAX,
    GELU,
    QUICK_GELU,
    SILU,
    SWIGLU,
    ADD,
    MUL,
    SCALE,
    GET_ROWS,
    COPY,
    PATCH_EMBED
}
