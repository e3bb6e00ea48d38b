package dev.vlm4j.kernels.vector.matmul;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;

/**
 * The kernel for one weight type. W {@code [n_in, n_out]} is addressed as rows of
 * {@code rowBytes} bytes in {@code w}; implementations are stateless and thread-safe.
 */
interface MatmulKernel {
    GgmlType type();

    /** The form GEMV wants the activation row in. */
    ActivationFormat activationFormat();

    /**
     * GEMV: {@code y[r] = W[r] · x} for rows {@code [rowStart, rowEnd)}; x holds one token of
     * n_in values in {@link #activationFormat()}.
     */
    void gemv(MemorySegment w, long rowBytes, Activations x, int rowStart, int rowEnd, float[] y);

    /**
     * Decodes the panel {@code W[row0 .. row0+rows)[k0 .. k0+kc)} to float32, row r at
     * {@code dst[r * kc]}; k0 and kc are multiples of the block size.
     */
    void decodePanel(MemorySegment w, long rowBytes, int row0, int rows, int k0, int kc, float[] dst);
}
