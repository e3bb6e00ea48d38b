package dev.vlm4j.core.gguf;

import dev.vlm4j.core.ggml.GgmlType;

/**
 * A tensor's entry in the GGUF header.
 *
 * @param name   the tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param type   element type
 * @param shape  dimensions in ggml order ({@code shape[0]} contiguous), 1..4 entries
 * @param offset byte offset relative to the start of the data section
 * @param bytes  size of the tensor's data in bytes
 */
public record GgufTensorInfo(String name, GgmlType type, long[] shape, long offset, long bytes) {
    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
