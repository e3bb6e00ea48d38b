package dev.vlm4j.core.tensor;

import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A contiguous n-dimensional array of one {@link GgmlType} over a {@link MemorySegment}.
 *
 * <p>Shapes use ggml order: {@code ne[0]} is the contiguous (fastest) dimension, so a weight
 * matrix {@code W[n_out][n_in]} has {@code ne = [n_in, n_out]} and a batch of activations
 * {@code X[n_tokens][n_embd]} has {@code ne = [n_embd, n_tokens]}. Up to four dimensions;
 * missing ones are 1. The tensor never owns its memory: weights are slices of a mapped GGUF
 * file, activations live in an {@link Arena} their session owns.
 */
public final class Tensor {
    public static final int MAX_DIMS = 4;
    /** Alignment for freshly allocated tensors: one cache line, and any SIMD width up to 512 bits. */
    public static final long ALIGNMENT = 64;

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final GgmlType type;
    private final long[] ne;
    private final int nDims;
    private final MemorySegment data;

    private Tensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        if (shape.length < 1 || shape.length > MAX_DIMS) {
            throw new IllegalArgumentException("tensor needs 1.." + MAX_DIMS + " dimensions, got " + shape.length);
        }
        this.ne = new long[MAX_DIMS];
        Arrays.fill(ne, 1);
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] <= 0) throw new IllegalArgumentException("dimension " + i + " is " + shape[i] + " in " + Arrays.toString(shape));
            ne[i] = shape[i];
            count = Math.multiplyExact(count, shape[i]);
        }
        if (!type.isRowAligned(ne[0])) {
            throw new IllegalArgumentException("ne[0] = " + ne[0] + " is not a multiple of the " + type.displayName()
                    + " block size " + type.blockSize());
        }
        this.nDims = shape.length;
        this.type = type;
        this.name = name == null ? "" : name;
        long bytes = type.bytesFor(ne[0]) * (count / ne[0]);
        if (data.byteSize() < bytes) {
            throw new IllegalArgumentException("tensor " + this.name + " " + type.displayName() + Arrays.toString(shape)
                    + " needs " + bytes + " bytes, segment has " + data.byteSize());
        }
        this.data = data.byteSize() == bytes ? data : data.asSlice(0, bytes);
    }

    /** A tensor over existing memory (zero-copy). */
    public static Tensor of(GgmlType type, MemorySegment data, long... ne) {
        return new Tensor("", type, ne, data);
    }

    /** A named tensor over existing memory (zero-copy); used for GGUF weights. */
    public static Tensor of(String name, GgmlType type, MemorySegment data, long... ne) {
        return new Tensor(name, type, ne, data);
    }

    /** A zero-filled tensor allocated in {@code arena}, 64-byte aligned. */
    public static Tensor allocate(Arena arena, GgmlType type, long... ne) {
        long count = 1;
        for (long n : ne) count = Math.multiplyExact(count, Math.max(n, 1));
        long bytes = type.bytesFor(count);
        return new Tensor("", type, ne, arena.allocate(bytes, ALIGNMENT));
    }

    /** A zero-filled float32 tensor allocated in {@code arena}. */
    public static Tensor f32(Arena arena, long... ne) {
        return allocate(arena, GgmlType.F32, ne);
    }

    /** A float32 tensor over a copy of {@code values} in {@code arena}. */
    public static Tensor f32(Arena arena, float[] values, long... ne) {
        Tensor t = f32(arena, ne);
        if (t.elementCount() != values.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(ne) + " holds " + t.elementCount() + " values, got " + values.length);
        }
        MemorySegment.copy(values, 0, t.data, F32, 0, values.length);
        return t;
    }

    public String name() { return name; }
    public GgmlType type() { return type; }
    public MemorySegment data() { return data; }
    public int nDims() { return nDims; }

    /** Size of dimension {@code i} (1 beyond {@link #nDims()}). */
    public long ne(int i) { return ne[i]; }

    /** The shape, {@link #nDims()} entries, ggml order. */
    public long[] shape() { return Arrays.copyOf(ne, nDims); }

    public long elementCount() { return ne[0] * ne[1] * ne[2] * ne[3]; }

    /** Number of rows: the product of all dimensions but the first. */
    public long rowCount() { return ne[1] * ne[2] * ne[3]; }

    /** Bytes of one row ({@code ne[0]} elements). */
    public long rowBytes() { return type.bytesFor(ne[0]); }

    public long byteSize() { return data.byteSize(); }

    /** The same memory under another shape with the same element count and ne[0] block-aligned. */
    public Tensor reshape(long... shape) {
        Tensor t = new Tensor(name, type, shape, data);
        if (t.elementCount() != elementCount()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape()) + " to " + Arrays.toString(shape));
        }
        return t;
    }

    /**
     * A view of {@code count} consecutive slices of the outermost dimension starting at {@code start}
     * (zero-copy): rows of a matrix, positions of a KV cache {@code [head_dim, n_head_kv, n_ctx]}.
     */
    public Tensor sliceOuter(long start, long count) {
        int d = nDims - 1;
        if (start < 0 || count <= 0 || start + count > ne[d]) {
            throw new IndexOutOfBoundsException("slice [" + start + ", " + (start + count) + ") of dimension " + d + " of size " + ne[d]);
        }
        long stride = data.byteSize() / ne[d];
        long[] shape = shape();
        shape[d] = count;
        return new Tensor(name, type, shape, data.asSlice(start * stride, count * stride));
    }

    /** Element {@code i} (flat index) of an F32 or F16 tensor. */
    public float getFloat(long i) {
        return switch (type) {
            case F32 -> data.get(F32, 4 * i);
            case F16 -> Float.float16ToFloat(data.get(I16, 2 * i));
            default -> throw new UnsupportedOperationException("getFloat on " + type.displayName() + " tensor");
        };
    }

    /** Sets element {@code i} (flat index) of an F32 or F16 tensor. */
    public void setFloat(long i, float v) {
        switch (type) {
            case F32 -> data.set(F32, 4 * i, v);
            case F16 -> data.set(I16, 2 * i, Float.floatToFloat16(v));
            default -> throw new UnsupportedOperationException("setFloat on " + type.displayName() + " tensor");
        }
    }

    /** All elements decoded to float32 in ggml order (a copy; for tests and tools, not hot paths). */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) throw new UnsupportedOperationException("tensor too large for one array: " + n);
        float[] out = new float[(int) n];
        long rowBytes = rowBytes();
        int rowLen = (int) ne[0];
        var decoder = Codecs.decoder(type);
        for (long r = 0, rows = rowCount(); r < rows; r++) {
            decoder.decode(data, r * rowBytes, out, (int) (r * rowLen), rowLen);
        }
        return out;
    }

    @Override
    public String toString() {
        return (name.isEmpty() ? "tensor" : name) + " " + type.displayName() + Arrays.toString(shape());
    }
}
