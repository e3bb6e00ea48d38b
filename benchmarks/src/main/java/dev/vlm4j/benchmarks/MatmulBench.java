package dev.vlm4j.benchmarks;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.WorkerPool;
import dev.vlm4j.kernels.vector.matmul.MatmulKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code y = x · Wᵀ} through {@link MatmulKernels} for each weight type: W {@code [n_in, n_out]}
 * random in an off-heap segment, x {@code [n_in, tokens]}.
 *
 * <p>Throughput mode; the score is calls per second. The auxiliary counters turn that into the
 * two floors: {@code weightBytes} (bytes of W streamed per second: compare with read bandwidth
 * for tokens = 1) and {@code flops} (2·n_in·n_out·tokens per second: compare with FMA peak for
 * tokens = 64). Divide by 1e9 for GB/s and GFLOP/s. Example:
 * {@code java -jar benchmarks/target/benchmarks.jar MatmulBench -p type=Q4_0 -p tokens=1}.
 *
 * <p>Warm-up matters more than usual: until C2 has compiled a kernel, every vector operation runs
 * as an allocating Java call, so the first 4096×4096 K-quant call can take seconds. Keep at least
 * two warm-up iterations of a second or more, and discard runs whose first measured iteration is
 * far below the rest.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatmulBench {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    /** n_out x n_in. */
    @Param({"4096x4096", "11008x4096"})
    public String shape;

    @Param({"1", "64"})
    public int tokens;

    @Param({"2"})
    public int threads;

    private Arena arena;
    private WorkerPool pool;
    private Tensor w;
    private Tensor x;
    private Tensor y;
    long weightBytes;
    long flopsPerCall;

    /** Per-second rates reported next to the score (see class comment). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Rates {
        public long weightBytes;
        public long flops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        GgmlType t = GgmlType.parse(type);
        String[] dims = shape.split("x");
        int nOut = Integer.parseInt(dims[0]), nIn = Integer.parseInt(dims[1]);
        arena = Arena.ofShared();
        pool = new WorkerPool(threads);
        w = Tensor.of(t, randomWeights(arena, t, nIn, nOut, new SplittableRandom(42)), nIn, nOut);
        x = Tensor.f32(arena, nIn, tokens);
        SplittableRandom rnd = new SplittableRandom(7);
        for (long i = 0; i < x.elementCount(); i++) x.data().set(F32, 4 * i, (float) (rnd.nextDouble() * 2 - 1));
        y = Tensor.f32(arena, nOut, tokens);
        weightBytes = w.byteSize();
        flopsPerCall = 2L * nIn * nOut * tokens;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public void matmul(Rates rates) {
        MatmulKernels.matmul(w, x, y, pool);
        rates.weightBytes += weightBytes;
        rates.flops += flopsPerCall;
    }

    /** Random blocks with finite, small f16 scales (random bytes there could be NaN/inf); floats uniform in [-1, 1). */
    static MemorySegment randomWeights(Arena arena, GgmlType t, int nIn, int nOut, SplittableRandom rnd) {
        long bytes = t.bytesFor(nIn) * nOut;
        MemorySegment seg = arena.allocate(bytes, 64);
        switch (t) {
            case F32 -> { for (long i = 0; i < bytes / 4; i++) seg.set(F32, 4 * i, (float) (rnd.nextDouble() * 2 - 1)); }
            case F16 -> { for (long i = 0; i < bytes / 2; i++) seg.set(I16, 2 * i, Float.floatToFloat16((float) (rnd.nextDouble() * 2 - 1))); }
            case BF16 -> {
                for (long i = 0; i < bytes / 2; i++) seg.set(I16, 2 * i, (short) (Float.floatToIntBits((float) (rnd.nextDouble() * 2 - 1)) >>> 16));
            }
            default -> {
                for (long i = 0; i + 8 <= bytes; i += 8) seg.set(ValueLayout.JAVA_LONG_UNALIGNED, i, rnd.nextLong());
                int[] scales = switch (t) {
                    case Q4_0, Q5_0, Q8_0 -> new int[] {0};
                    case Q4_1, Q5_1, Q4_K, Q5_K -> new int[] {0, 2};
                    case Q2_K -> new int[] {80, 82};
                    case Q3_K -> new int[] {108};
                    case Q6_K -> new int[] {208};
                    default -> throw new IllegalArgumentException("no benchmark weights for " + t);
                };
                for (long b = 0, n = bytes / t.typeSize(); b < n; b++) {
                    for (int s : scales) seg.set(I16, b * t.typeSize() + s, Float.floatToFloat16((float) (rnd.nextDouble() * 0.02)));
                }
            }
        }
        return seg;
    }
}
