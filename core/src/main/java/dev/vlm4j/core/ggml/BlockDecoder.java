package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/** Decodes ggml blocks of one type to float32, bit-exactly as ggml's reference dequantizers do. */
@FunctionalInterface
public interface BlockDecoder {
    /**
     * Decodes {@code n} elements (a multiple of the type's block size) whose blocks start at
     * byte {@code srcOffset} of {@code src} into {@code dst[dstOffset .. dstOffset + n)}.
     */
    void decode(MemorySegment src, long srcOffset, float[] dst, int dstOffset, int n);
}
