package dev.vlm4j.kernels.vector.matmul;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Common part of the block-quantized kernels: the GEMM panel decoder, one block at a time through
 * the type's {@link #decodeBlock}. Each type supplies its own fused integer GEMV.
 */
abstract class QuantKernel implements MatmulKernel {
    private final GgmlType type;
    final int blockSize;
    final int blockBytes;

    QuantKernel(GgmlType type) {
        this.type = type;
        this.blockSize = type.blockSize();
        this.blockBytes = type.typeSize();
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    /** Decodes the block at byte {@code off} of {@code w} into {@code dst[d .. d + blockSize)}, as ggml does. */
    abstract void decodeBlock(MemorySegment w, long off, float[] dst, int d);

    @Override
    public void decodePanel(MemorySegment w, long rowBytes, int row0, int rows, int k0, int kc, float[] dst) {
        for (int r = 0; r < rows; r++) {
            long base = (row0 + r) * rowBytes + (long) k0 / blockSize * blockBytes;
            for (int k = 0, b = 0; k < kc; k += blockSize, b++) {
                decodeBlock(w, base + (long) b * blockBytes, dst, r * kc + k);
            }
        }
    }
}
