package dev.vlm4j.models.testmodel;

import dev.vlm4j.core.ggml.GgmlType;
import java.util.Arrays;

/**
 * One tensor of a synthetic model: its name, storage type, shape in ggml order
 * ({@code shape[0]} contiguous) and how its values are made.
 */
public record TensorSpec(String name, GgmlType type, long[] shape, Init init) {

    /** How values are generated: normal(0, 0.02) weights, ones (norm scales), zeros (biases). */
    public enum Init { NORMAL, ONES, ZEROS }

    public TensorSpec {
        shape = shape.clone();
        if (!type.isRowAligned(shape[0])) {
            throw new IllegalArgumentException(name + ": ne[0] = " + shape[0] + " is not a multiple of the "
                    + type.displayName() + " block size " + type.blockSize());
        }
    }

    @Override
    public long[] shape() { return shape.clone(); }

    public long elementCount() {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /** Rows of {@code shape[0]} elements. */
    public long rowCount() { return elementCount() / shape[0]; }

    public long byteSize() { return Math.multiplyExact(type.bytesFor(shape[0]), rowCount()); }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && t.type == type && Arrays.equals(t.shape, shape) && t.init == init;
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override
    public String toString() { return name + " " + type.displayName() + Arrays.toString(shape) + " " + init; }
}
