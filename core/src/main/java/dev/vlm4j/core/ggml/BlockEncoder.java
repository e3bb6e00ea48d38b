package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;

/** Encodes float32 values into ggml blocks of one type, as ggml's reference quantizers do. */
@FunctionalInterface
public interface BlockEncoder {
    /**
     * Encodes {@code src[srcOffset .. srcOffset + n)} ({@code n} a multiple of the block size)
     * into blocks written from byte {@code dstOffset} of {@code dst}.
     */
    void encode(float[] src, int srcOffset, int n, MemorySegment dst, long dstOffset);
}
