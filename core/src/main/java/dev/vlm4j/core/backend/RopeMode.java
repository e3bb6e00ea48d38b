package dev.vlm4j.core.backend;

/**
 * How RoPE pairs the dimensions of a head: {@code NORM} rotates adjacent pairs (2i, 2i+1) as
 * llama does; {@code NEOX} rotates (i, i + n_rot/2) as qwen2 and GPT-NeoX do.
 */
public enum RopeMode {
    NORM,
    NEOX
}
