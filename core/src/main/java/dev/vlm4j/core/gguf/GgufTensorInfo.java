package dev.vlm4j.core.gguf;

import dev.vlm4j.core.ggml.GgmlType;
import java.util.Arrays;
import java.util.Objects;

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
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = shape.clone();
    }

    /** A copy of the shape (the record stays immutable). */
    @Override
    public long[] shape() { return shape.clone(); }

    public int nDims() { return shape.length; }

    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && t.name.equals(name) && t.type == type && Arrays.equals(t.shape, shape)
                && t.offset == offset && t.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, Arrays.hashCode(shape), offset, bytes);
    }

    @Override
    public String toString() {
        return name + " " + type.displayName() + Arrays.toString(shape) + " @" + offset + " (" + bytes + " bytes)";
    }
}
