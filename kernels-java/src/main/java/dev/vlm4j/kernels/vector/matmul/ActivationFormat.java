package dev.vlm4j.kernels.vector.matmul;

/** How a GEMV kernel wants its activation row: plain floats or one of ggml's 8-bit dot types. */
enum ActivationFormat {
    /** float32 as given (float weights). */
    F32(1),
    /** blocks of 32 int8 with an f16-rounded scale (ggml q8_0): for q4_0, q5_0, q8_0. */
    Q8_0(32),
    /** q8_0 plus the block sum {@code d·Σq} (ggml q8_1): for q4_1, q5_1 whose minimum multiplies it. */
    Q8_1(32),
    /** blocks of 256 int8 with a float scale and 16 sums over 16 values (ggml q8_K): for the K-quants. */
    Q8_K(256);

    final int blockSize;

    ActivationFormat(int blockSize) {
        this.blockSize = blockSize;
    }
}
