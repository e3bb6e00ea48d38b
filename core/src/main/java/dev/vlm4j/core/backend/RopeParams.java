package dev.vlm4j.core.backend;

/**
 * RoPE settings. {@code nRot} dimensions of each head are rotated (the rest pass through);
 * the angle of pair i at position p is {@code p * freqScale * freqBase^(-2i / nRot)}.
 */
public record RopeParams(RopeMode mode, int nRot, float freqBase, float freqScale) {
    public RopeParams {
        if (nRot <= 0 || nRot % 2 != 0) throw new IllegalArgumentException("n_rot must be positive and even, got " + nRot);
        if (!(freqBase > 0)) throw new IllegalArgumentException("rope freq_base must be positive, got " + freqBase);
        if (!(freqScale > 0)) throw new IllegalArgumentException("rope freq_scale must be positive, got " + freqScale);
    }
}
