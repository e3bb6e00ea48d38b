package dev.vlm4j.kernels.vector.matmul;

/**
 * One activation row prepared for GEMV: the float32 values, plus (for quantized weights) the
 * row quantized to an 8-bit dot type by {@link ActivationQuantizer}. Reused across calls by its
 * owning thread; arrays grow on demand and are never shrunk.
 */
final class Activations {
    int n;
    ActivationFormat format = ActivationFormat.F32;
    /** n values, float32. */
    float[] f = new float[0];
    /** n int8 quants (Q8 formats). */
    byte[] q = new byte[0];
    /** the same quants widened to int, so that kernels load them without a conversion per weight row. */
    int[] qi = new int[0];
    /** the same quants widened to short, for kernels that multiply in 16-bit lanes. */
    short[] qs = new short[0];
    /** one scale per block of format.blockSize. */
    float[] d = new float[0];
    /** Q8_1: d·Σq per block of 32. Q8_K: unused. */
    float[] s = new float[0];
    /** Q8_0/Q8_1: Σq per block of 32 (integer, for weight offsets such as q4_0's −8). */
    int[] qsum = new int[0];
    /** Q8_K: Σq per 16 values. */
    int[] bsums = new int[0];

    void ensure(int n) {
        if (f.length < n) {
            f = new float[n];
            q = new byte[n];
            qi = new int[n];
            qs = new short[n];
            d = new float[n / 32 + 1];
            s = new float[n / 32 + 1];
            bsums = new int[n / 16 + 1];
            qsum = new int[n / 32 + 1];
        }
        this.n = n;
    }
}
