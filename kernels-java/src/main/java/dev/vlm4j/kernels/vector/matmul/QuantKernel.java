package dev.vlm4j.kernels.vector.matmul;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * Common part of the block-quantized kernels: the GEMM panel decoder (one block at a time through
 * {@link #decodeBlock}) and a generic GEMV that decodes a row in chunks and takes a SIMD float dot
 * with the activation row. Types with a fused integer GEMV override {@link #gemv} and
 * {@link #activationFormat}.
 */
abstract class QuantKernel implements MatmulKernel {
    private static final int CHUNK = 256;
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[CHUNK]);

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

    @Override
    public ActivationFormat activationFormat() {
        return ActivationFormat.F32;
    }

    /** Decodes the block at byte {@code off} of {@code w} into {@code dst[d .. d + blockSize)}, as ggml does. */
    abstract void decodeBlock(MemorySegment w, long off, float[] dst, int d);

    @Override
    public void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y) {
        float[] row = ROW.get();
        int n = x.n;
        for (int r = rowStart; r < rowEnd; r++) {
            long base = r * rowBytes;
            float s = 0;
            for (int k0 = 0; k0 < n; k0 += CHUNK) {
                int kc = Math.min(CHUNK, n - k0);
                for (int k = 0; k < kc; k += blockSize) {
                    decodeBlock(w, base + (long) (k0 + k) / blockSize * blockBytes, row, k);
                }
                s += FloatTiles.dot(row, 0, x.f, k0, kc);
            }
            y[r] = s;
        }
    }

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
