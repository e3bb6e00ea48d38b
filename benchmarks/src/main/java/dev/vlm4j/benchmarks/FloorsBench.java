package dev.vlm4j.benchmarks;

import dev.vlm4j.kernels.vector.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * The two hardware floors every kernel is judged against, measured with the same Vector API and
 * the same {@link WorkerPool} the kernels use:
 * <ul>
 *   <li>{@code readBandwidth}: sum of a 1 GiB off-heap segment with FloatVector loads on all
 *       threads; the {@code bytes} counter is reported per second, so its score / 1e9 is GB/s
 *       (the decode floor: weight bytes streamed per token / this rate);</li>
 *   <li>{@code fmaThroughput}: independent FloatVector.fma chains on all threads; the
 *       {@code flops} counter per second / 1e9 is GFLOP/s (the prefill/ViT floor).</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar FloorsBench -p threads=N}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class FloorsBench {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final long BYTES = 1L << 30;
    /** FMA iterations per task; each iteration is CHAINS independent vector FMAs. */
    private static final int FMA_ITERATIONS = 1 << 20;
    private static final int CHAINS = 12;

    /** Worker threads; 0 = one per available processor. */
    @Param("0")
    public int threads;

    private Arena arena;
    private MemorySegment buffer;
    private WorkerPool pool;
    private int tasks;

    /** Bytes read; JMH reports it per second (score / 1e9 = GB/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    /** Floating-point operations done; JMH reports it per second (score / 1e9 = GFLOP/s). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        pool = new WorkerPool(n);
        tasks = n * 8;
        arena = Arena.ofShared();
        buffer = arena.allocate(BYTES, 4096);
        // touch every page so the first measured pass is not page faults; 0x3c3c3c3c is the float 0.0115
        buffer.fill((byte) 0x3c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    @Benchmark
    public float readBandwidth(Bytes work) {
        float[] partial = new float[tasks];
        long chunk = BYTES / tasks;
        pool.forEach(tasks, t -> partial[t] = sum(buffer, t * chunk, (t + 1) * chunk));
        float total = 0;
        for (float p : partial) total += p;
        work.bytes += BYTES;
        return total;
    }

    private static float sum(MemorySegment s, long from, long to) {
        int step = F.vectorByteSize();
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long off = from;
        for (; off + 4L * step <= to; off += 4L * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, s, off, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(F, s, off + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(F, s, off + 2L * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(F, s, off + 3L * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public float fmaThroughput(Flops work) {
        int n = pool.threads();
        float[] partial = new float[n];
        pool.forEach(n, t -> partial[t] = fmaChains(t));
        float total = 0;
        for (float p : partial) total += p;
        work.flops += 2L * F.length() * CHAINS * FMA_ITERATIONS * n;
        return total;
    }

    /** CHAINS independent accumulators: enough to cover FMA latency × ports on current cores. */
    private static float fmaChains(int seed) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f), c = FloatVector.broadcast(F, 1e-6f);
        FloatVector a0 = FloatVector.broadcast(F, seed), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3);
        FloatVector a4 = a0.add(4), a5 = a0.add(5), a6 = a0.add(6), a7 = a0.add(7);
        FloatVector a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (int i = 0; i < FMA_ITERATIONS; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
