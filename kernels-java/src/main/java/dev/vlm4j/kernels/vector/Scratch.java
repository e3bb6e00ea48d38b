package dev.vlm4j.kernels.vector;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reusable native scratch memory for ops that need temporaries (LoRA intermediates, im2col).
 * Each calling thread has its own slots, so concurrent calls on distinct outputs never share a
 * buffer; slots grow by doubling and the memory lives in one shared arena the backend closes.
 * Native (not heap) so that any kernel, including the matmul kernels, can read them from any thread.
 */
final class Scratch implements AutoCloseable {
    static final int SLOTS = 4;

    private final Arena arena = Arena.ofShared();
    private final ThreadLocal<MemorySegment[]> slots = ThreadLocal.withInitial(() -> new MemorySegment[SLOTS]);

    /** An F32 tensor of shape {@code ne} over slot {@code slot} of the calling thread (contents undefined). */
    Tensor f32(int slot, long... ne) {
        long count = 1;
        for (long n : ne) count = Math.multiplyExact(count, n);
        return Tensor.of(GgmlType.F32, segment(slot, 4 * count), ne);
    }

    MemorySegment segment(int slot, long bytes) {
        MemorySegment[] mine = slots.get();
        MemorySegment s = mine[slot];
        if (s == null || s.byteSize() < bytes) {
            long size = Math.max(bytes, s == null ? 4096 : 2 * s.byteSize());
            synchronized (arena) {
                s = arena.allocate(size, Tensor.ALIGNMENT);
            }
            mine[slot] = s;
        }
        return s.asSlice(0, bytes);
    }

    @Override
    public void close() {
        synchronized (arena) {
            if (arena.scope().isAlive()) arena.close();
        }
    }
}
