package dev.vlm4j.kernels.vector.matmul;

import dev.vlm4j.core.ggml.BlockDecoder;
import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.WorkerPool;

/**
 * Entry point of the matmul kernel table: {@code y = x · wᵀ} for w {@code [n_in, n_out]} of any
 * supported type, x {@code [n_in, n_tokens]} F32, y {@code [n_out, n_tokens]} F32.
 * Placeholder (decode a row, scalar dot) until the SIMD GEMV/GEMM kernels land.
 */
public final class MatmulKernels {
    private MatmulKernels() {}

    public static boolean supports(GgmlType type) {
        return Codecs.canDecode(type);
    }

    public static void matmul(Tensor w, Tensor x, Tensor y, WorkerPool pool) {
        int nIn = (int) w.ne(0), nOut = (int) w.ne(1), nTok = (int) x.ne(1);
        BlockDecoder dec = Codecs.decoder(w.type());
        long rowBytes = w.rowBytes();
        float[] xs = x.toFloatArray();
        pool.forEach(nOut, o -> {
            float[] row = new float[nIn];
            dec.decode(w.data(), o * rowBytes, row, 0, nIn);
            for (int t = 0; t < nTok; t++) {
                float s = 0;
                for (int i = 0; i < nIn; i++) s += row[i] * xs[t * nIn + i];
                y.setFloat((long) t * nOut + o, s);
            }
        });
    }
}
