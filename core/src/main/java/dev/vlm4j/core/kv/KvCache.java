package dev.vlm4j.core.kv;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;

/**
 * Keys and values of every decoder layer for up to {@code capacity} positions, F16 by default as
 * llama.cpp stores them (F32 on request). Per layer: K and V {@code [head_dim, n_head_kv, capacity]},
 * so the first n positions are a contiguous prefix ({@link Tensor#sliceOuter}). Owns its memory.
 */
public final class KvCache implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int capacity;
    private final GgmlType type;
    private int size;

    public KvCache(int nLayer, int headDim, int nHeadKv, int capacity, GgmlType type) {
        if (type != GgmlType.F16 && type != GgmlType.F32) {
            throw new IllegalArgumentException("KV cache type must be f16 or f32, got " + type.displayName());
        }
        if (capacity <= 0) throw new IllegalArgumentException("KV cache capacity must be positive, got " + capacity);
        this.capacity = capacity;
        this.type = type;
        keys = new Tensor[nLayer];
        values = new Tensor[nLayer];
        for (int l = 0; l < nLayer; l++) {
            keys[l] = Tensor.allocate(arena, type, headDim, nHeadKv, capacity);
            values[l] = Tensor.allocate(arena, type, headDim, nHeadKv, capacity);
        }
    }

    /** All positions of layer {@code l}'s keys: {@code [head_dim, n_head_kv, capacity]}. */
    public Tensor keys(int layer) { return keys[layer]; }

    /** All positions of layer {@code l}'s values: {@code [head_dim, n_head_kv, capacity]}. */
    public Tensor values(int layer) { return values[layer]; }

    public GgmlType type() { return type; }

    public int capacity() { return capacity; }

    /** Positions filled so far; the next batch starts here. */
    public int size() { return size; }

    /** Positions still free. */
    public int remaining() { return capacity - size; }

    /** Marks {@code n} more positions as filled (after a forward pass wrote them). */
    public void advance(int n) {
        if (n < 0 || size + n > capacity) {
            throw new IllegalStateException("KV cache: cannot advance " + n + " from " + size + " (capacity " + capacity + ")");
        }
        size += n;
    }

    /** Forgets positions from {@code n} on (prefix reuse keeps the first n). */
    public void truncate(int n) {
        if (n < 0 || n > size) throw new IllegalArgumentException("KV cache: cannot truncate to " + n + " of " + size);
        size = n;
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
