package dev.vlm4j.kernels.vector.matmul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlm4j.core.ggml.BlockDecoder;
import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every weight type against a float64 oracle: W dequantized by core's scalar {@link Codecs}
 * decoders times the unquantized x, for GEMV (1 token) and GEMM (2..64 tokens), odd n_out,
 * several blocks of n_in, weights at an odd (unaligned) address, y poisoned with NaN.
 */
class MatmulKernelsTest {
    static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
            GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K,
            GgmlType.Q6_K);
    static final EnumSet<GgmlType> FLOAT_TYPES = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    static WorkerPool pool;

    @BeforeAll
    static void startPool() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (GgmlType t : TYPES) {
            for (int nTok : new int[] {1, 2, 5, 17, 64}) {
                for (int nOut : new int[] {37, 97}) out.add(Arguments.of(t, nOut, nTok));
            }
        }
        return out.stream();
    }

    /** n_in: not a multiple of any vector width for float types; 9 blocks (one GEMM panel plus a tail) or 3 super-blocks for quants. */
    static int nIn(GgmlType type) {
        if (type.blockSize() == 1) return 301;
        return type.blockSize() == 32 ? 32 * 9 : 256 * 3;
    }

    @ParameterizedTest(name = "{0} n_out={1} n_tokens={2}")
    @MethodSource("cases")
    void matchesFloat64Oracle(GgmlType type, int nOut, int nTok) {
        int nIn = nIn(type);
        long seed = 1000L * type.id() + 10L * nOut + nTok;
        System.out.println("matmul " + type.displayName() + " n_in=" + nIn + " n_out=" + nOut + " n_tokens=" + nTok + " seed=" + seed);
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofShared()) {
            Tensor w = randomWeights(arena, type, nIn, nOut, rnd);
            float[] xs = new float[nIn * nTok];
            for (int i = 0; i < xs.length; i++) xs[i] = (float) rnd.nextGaussian();
            Tensor x = Tensor.f32(arena, xs, nIn, nTok);
            Tensor y = Tensor.f32(arena, nOut, nTok);
            y.data().fill((byte) 0xFF); // NaN everywhere

            MatmulKernels.matmul(w, x, y, pool);

            double[] ref = oracle(w, xs, nIn, nOut, nTok);
            float[] got = new float[ref.length];
            for (int i = 0; i < ref.length; i++) got[i] = y.data().get(F32, 4L * i);
            double nmse = nmse(got, ref);
            double bound = FLOAT_TYPES.contains(type) ? 1e-9 : 5e-4;
            System.out.println("  nmse=" + nmse);
            assertTrue(nmse <= bound, type.displayName() + " n_out=" + nOut + " n_tokens=" + nTok + ": NMSE " + nmse + " > " + bound);
        }
    }

    /**
     * The integer GEMVs exactly: against W × (x quantized by core's Q8_0/Q8_1/Q8_K encoder, then
     * decoded), the only error left is float32 accumulation (and q8_1's f16 block sums).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("quantTypes")
    void gemvMatchesOracleOnQuantizedActivations(GgmlType type) {
        ActivationFormat format = MatmulKernels.gemvActivationFormat(type);
        int nIn = nIn(type), nOut = 97;
        long seed = 77L * type.id();
        System.out.println("gemv exact " + type.displayName() + " activations " + format + " seed=" + seed);
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofShared()) {
            Tensor w = randomWeights(arena, type, nIn, nOut, rnd);
            float[] xs = new float[nIn];
            for (int i = 0; i < nIn; i++) xs[i] = (float) rnd.nextGaussian();
            float[] xRef = xs;
            if (format != ActivationFormat.F32) {
                GgmlType q = GgmlType.valueOf(format.name());
                xRef = Codecs.decode(q, Codecs.encode(q, xs), 0, nIn);
            }
            Tensor x = Tensor.f32(arena, xs, nIn, 1);
            Tensor y = Tensor.f32(arena, nOut, 1);
            y.data().fill((byte) 0xFF);
            MatmulKernels.matmul(w, x, y, pool);
            double[] ref = oracle(w, xRef, nIn, nOut, 1);
            float[] got = new float[nOut];
            for (int i = 0; i < nOut; i++) got[i] = y.data().get(F32, 4L * i);
            double nmse = nmse(got, ref);
            double bound = format == ActivationFormat.Q8_1 ? 1e-6 : 1e-9;
            System.out.println("  nmse=" + nmse);
            assertTrue(nmse <= bound, type.displayName() + ": NMSE " + nmse + " > " + bound);
        }
    }

    static Stream<GgmlType> quantTypes() {
        return TYPES.stream().filter(GgmlType::isQuantized);
    }

    static double nmse(float[] got, double[] ref) {
        double num = 0, den = 0;
        for (int i = 0; i < ref.length; i++) {
            assertFalse(Float.isNaN(got[i]) || Float.isInfinite(got[i]), "y[" + i + "] not written or not finite: " + got[i]);
            num += (got[i] - ref[i]) * (got[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return num / den;
    }

    /** Weights in a byte[]-backed segment (as core's encoders return them) take the same paths. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("heapCases")
    void acceptsHeapBackedWeights(GgmlType type, int nTok) {
        int nIn = nIn(type), nOut = 37;
        long seed = 31L * type.id() + nTok;
        System.out.println("heap weights " + type.displayName() + " n_tokens=" + nTok + " seed=" + seed);
        Random rnd = new Random(seed);
        try (Arena arena = Arena.ofShared()) {
            Tensor native_ = randomWeights(arena, type, nIn, nOut, rnd);
            byte[] bytes = native_.data().toArray(ValueLayout.JAVA_BYTE);
            Tensor w = Tensor.of(type, MemorySegment.ofArray(bytes), nIn, nOut);
            float[] xs = new float[nIn * nTok];
            for (int i = 0; i < xs.length; i++) xs[i] = (float) rnd.nextGaussian();
            Tensor y = Tensor.f32(arena, nOut, nTok);
            y.data().fill((byte) 0xFF);
            MatmulKernels.matmul(w, Tensor.f32(arena, xs, nIn, nTok), y, pool);
            float[] got = new float[nOut * nTok];
            for (int i = 0; i < got.length; i++) got[i] = y.data().get(F32, 4L * i);
            double nmse = nmse(got, oracle(w, xs, nIn, nOut, nTok));
            double bound = FLOAT_TYPES.contains(type) ? 1e-9 : 5e-4;
            assertTrue(nmse <= bound, type.displayName() + ": NMSE " + nmse + " > " + bound);
        }
    }

    static Stream<Arguments> heapCases() {
        return Stream.of(Arguments.of(GgmlType.F16, 1), Arguments.of(GgmlType.F16, 5),
                Arguments.of(GgmlType.Q4_K, 1), Arguments.of(GgmlType.Q4_K, 5));
    }

    @Test
    void rejectsMismatchedShapesAndUnsupportedTypes() {
        try (Arena arena = Arena.ofShared()) {
            Tensor w = Tensor.allocate(arena, GgmlType.F32, 64, 8);
            Tensor x = Tensor.f32(arena, 32, 2);
            Tensor y = Tensor.f32(arena, 8, 2);
            assertThrows(IllegalArgumentException.class, () -> MatmulKernels.matmul(w, x, y, pool));
            Tensor x2 = Tensor.f32(arena, 64, 2);
            Tensor y2 = Tensor.f32(arena, 8, 3);
            assertThrows(IllegalArgumentException.class, () -> MatmulKernels.matmul(w, x2, y2, pool));
            Tensor wk = Tensor.allocate(arena, GgmlType.Q8_K, 256, 8);
            assertFalse(MatmulKernels.supports(GgmlType.Q8_K));
            var e = assertThrows(UnsupportedOperationException.class,
                    () -> MatmulKernels.matmul(wk, Tensor.f32(arena, 256, 1), Tensor.f32(arena, 8, 1), pool));
            assertTrue(e.getMessage().contains("q8_k"), e.getMessage());
        }
    }

    @Test
    void supportsEveryListedType() {
        for (GgmlType t : TYPES) assertTrue(MatmulKernels.supports(t), t.displayName());
        assertEquals(EnumSet.copyOf(TYPES), EnumSet.copyOf(MatmulKernels.supportedTypes()));
    }

    static double[] oracle(Tensor w, float[] xs, int nIn, int nOut, int nTok) {
        BlockDecoder dec = Codecs.decoder(w.type());
        float[] row = new float[nIn];
        double[] ref = new double[nOut * nTok];
        for (int o = 0; o < nOut; o++) {
            dec.decode(w.data(), o * w.rowBytes(), row, 0, nIn);
            for (int t = 0; t < nTok; t++) {
                double s = 0;
                for (int i = 0; i < nIn; i++) s += (double) row[i] * xs[t * nIn + i];
                ref[t * nOut + o] = s;
            }
        }
        return ref;
    }

    /**
     * Random weights one byte past a 64-byte boundary (so loads are unaligned). Floats are
     * Gaussian; quant blocks are random bytes with their f16 scale fields set to small normal
     * values, so that no block holds NaN or infinities.
     */
    static Tensor randomWeights(Arena arena, GgmlType type, int nIn, int nOut, Random rnd) {
        long bytes = type.bytesFor(nIn) * nOut;
        MemorySegment seg = arena.allocate(bytes + 1, 64).asSlice(1, bytes);
        switch (type) {
            case F32 -> { for (long i = 0; i < bytes / 4; i++) seg.set(F32, 4 * i, (float) rnd.nextGaussian()); }
            case F16 -> { for (long i = 0; i < bytes / 2; i++) seg.set(I16, 2 * i, Float.floatToFloat16((float) rnd.nextGaussian())); }
            case BF16 -> {
                for (long i = 0; i < bytes / 2; i++) seg.set(I16, 2 * i, (short) (Float.floatToIntBits((float) rnd.nextGaussian()) >>> 16));
            }
            default -> {
                byte[] b = new byte[(int) bytes];
                rnd.nextBytes(b);
                MemorySegment.copy(MemorySegment.ofArray(b), 0, seg, 0, bytes);
                int[] scaleOffsets = switch (type) {
                    case Q4_0, Q5_0, Q8_0 -> new int[] {0};
                    case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
                    case Q2_K -> new int[] {80, 82};
                    case Q3_K -> new int[] {108};
                    case Q6_K -> new int[] {208};
                    default -> throw new IllegalArgumentException("no test weights for " + type);
                };
                for (long blk = 0; blk < bytes / type.typeSize(); blk++) {
                    for (int so : scaleOffsets) {
                        seg.set(I16, blk * type.typeSize() + so, Float.floatToFloat16((float) (0.01 * rnd.nextGaussian())));
                    }
                }
            }
        }
        return Tensor.of(type, seg, nIn, nOut);
    }
}
