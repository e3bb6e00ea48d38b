package dev.vlm4j.kernels.vector.matmul;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point of the matmul kernel table: {@code y = x · wᵀ} for w {@code [n_in, n_out]} of any
 * supported type, x {@code [n_in, n_tokens]} F32, y {@code [n_out, n_tokens]} F32.
 *
 * <p>One token (decode) runs the type's GEMV, which streams each weight byte once and
 * dequantizes in registers against the activation row quantized once to the type's 8-bit dot
 * format. More tokens (prefill, ViT patches) run a tiled GEMM: each task decodes a panel of
 * {@link #GEMM_ROWS} weight rows × {@link #GEMM_KC} inputs to float32 once and multiplies it
 * with every token through the {@link FloatTiles} register tile.
 */
public final class MatmulKernels {
    /** Weight rows per GEMM task. */
    static final int GEMM_ROWS = 16;
    /** Inputs per GEMM panel: a multiple of every block size (256); long enough that the per-tile lane reductions are rare, short enough that a 4-row slice (16 KB) stays in L1. */
    static final int GEMM_KC = 1024;

    private static final Map<GgmlType, MatmulKernel> TABLE = new EnumMap<>(GgmlType.class);

    static {
        for (MatmulKernel k : List.of(
                new F32Kernel(), new F16Kernel(), new Bf16Kernel(),
                new Q8_0Kernel(), new Q4_0Kernel(), new Q4_1Kernel(), new Q5_0Kernel(), new Q5_1Kernel(),
                new Q2_KKernel(), new Q3_KKernel(), new Q4_KKernel(), new Q5_KKernel(), new Q6_KKernel())) {
            TABLE.put(k.type(), k);
        }
    }

    private MatmulKernels() {}

    /**
     * True when {@code type} can be the weight type of {@link #matmul} on this machine (false for
     * every type where the preferred vector is narrower than 256 bits).
     */
    public static boolean supports(GgmlType type) {
        return Simd.USABLE && TABLE.containsKey(type);
    }

    /** The supported weight types. */
    public static Set<GgmlType> supportedTypes() {
        return TABLE.keySet();
    }

    /** The activation format the GEMV of {@code type} quantizes x to (tests compare against it). */
    static ActivationFormat gemvActivationFormat(GgmlType type) {
        return TABLE.get(type).activationFormat();
    }

    /**
     * {@code y[t][o] = Σ_i x[t][i] · w[o][i]}: w {@code [n_in, n_out]} (any supported type,
     * possibly unaligned mapped memory), x {@code [n_in, n_tokens]} F32 (extra dimensions count
     * as tokens), y {@code [n_out, n_tokens]} F32. Every element of y is written.
     */
    public static void matmul(Tensor w, Tensor x, Tensor y, WorkerPool pool) {
        MatmulKernel kernel = TABLE.get(w.type());
        if (kernel == null) {
            throw new UnsupportedOperationException("matmul: no Vector API kernel for weight type " + w.type().displayName()
                    + " (" + w + "); supported: " + TABLE.keySet());
        }
        if (!Simd.USABLE) {
            throw new UnsupportedOperationException("matmul: the Vector API kernels need 256-bit vectors, this machine prefers "
                    + Simd.F.vectorBitSize() + "-bit");
        }
        check(w, x, y);
        int nIn = (int) w.ne(0), nOut = (int) w.ne(1), nTok = (int) x.rowCount();
        if (nTok == 1) {
            gemv(kernel, w.data(), w.rowBytes(), nIn, nOut, x.data(), y.data(), pool);
        } else {
            gemm(kernel, w.data(), w.rowBytes(), nIn, nOut, nTok, x.data(), y.data(), pool);
        }
    }

    private static void check(Tensor w, Tensor x, Tensor y) {
        if (w.ne(2) != 1 || w.ne(3) != 1) {
            throw new IllegalArgumentException("matmul: weight must be 2-D [n_in, n_out], got " + w);
        }
        if (x.type() != GgmlType.F32 || y.type() != GgmlType.F32) {
            throw new IllegalArgumentException("matmul: x and y must be F32, got x " + x + ", y " + y);
        }
        if (x.ne(0) != w.ne(0)) {
            throw new IllegalArgumentException("matmul: x " + x + " has ne[0] = " + x.ne(0) + ", weight " + w + " expects n_in = " + w.ne(0));
        }
        if (y.ne(0) != w.ne(1) || y.rowCount() != x.rowCount()) {
            throw new IllegalArgumentException("matmul: y " + y + " must be [" + w.ne(1) + ", " + x.rowCount()
                    + "] for weight " + w + " and x " + x + ", got " + Arrays.toString(y.shape()));
        }
        if (w.ne(0) > Integer.MAX_VALUE / 2 || w.ne(1) > Integer.MAX_VALUE || x.elementCount() > Integer.MAX_VALUE - 8
                || y.elementCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matmul: operands too large for this kernel: w " + w + ", x " + x + ", y " + y);
        }
    }

    private static void gemv(MatmulKernel k, MemorySegment w, long rowBytes, int nIn, int nOut,
                             MemorySegment x, MemorySegment y, WorkerPool pool) {
        Scratch s = Scratch.get();
        Activations a = s.act;
        a.ensure(nIn);
        MemorySegment.copy(x, Simd.F32, 0, a.f, 0, nIn);
        ActivationQuantizer.quantize(a, k.activationFormat());
        float[] out = s.y(nOut);
        // enough tasks to balance uneven cores, each a multiple of 4 rows
        int rowsPerTask = Math.max(4, ((nOut + pool.threads() * 8 - 1) / (pool.threads() * 8) + 3) & ~3);
        int tasks = (nOut + rowsPerTask - 1) / rowsPerTask;
        pool.forEach(tasks, task -> {
            int r0 = task * rowsPerTask;
            k.gemv(w, rowBytes, a, r0, Math.min(nOut, r0 + rowsPerTask), out);
        });
        MemorySegment.copy(out, 0, y, Simd.F32, 0, nOut);
    }

    private static void gemm(MatmulKernel k, MemorySegment w, long rowBytes, int nIn, int nOut, int nTok,
                             MemorySegment x, MemorySegment y, WorkerPool pool) {
        Scratch s = Scratch.get();
        float[] xs = s.x(nIn * nTok);
        MemorySegment.copy(x, Simd.F32, 0, xs, 0, nIn * nTok);
        float[] out = s.y(nOut * nTok);
        int tasks = (nOut + GEMM_ROWS - 1) / GEMM_ROWS;
        pool.forEach(tasks, task -> {
            int r0 = task * GEMM_ROWS, rows = Math.min(GEMM_ROWS, nOut - r0);
            Scratch ts = Scratch.get();
            float[] panel = ts.panel(GEMM_ROWS * GEMM_KC);
            float[] acc = ts.acc(GEMM_ROWS * nTok);
            Arrays.fill(acc, 0, rows * nTok, 0f);
            for (int k0 = 0; k0 < nIn; k0 += GEMM_KC) {
                int kc = Math.min(GEMM_KC, nIn - k0);
                k.decodePanel(w, rowBytes, r0, rows, k0, kc, panel);
                FloatTiles.multiplyAdd(panel, rows, kc, xs, nIn, k0, nTok, acc);
            }
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < nTok; t++) out[t * nOut + r0 + r] = acc[r * nTok + t];
            }
        });
        MemorySegment.copy(out, 0, y, Simd.F32, 0, nOut * nTok);
    }
}
