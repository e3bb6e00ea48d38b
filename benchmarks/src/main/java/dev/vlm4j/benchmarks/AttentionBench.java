package dev.vlm4j.benchmarks;

import dev.vlm4j.core.backend.AttentionParams;
import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.JavaBackend;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Fused attention of a 7B-class layer: 32 query heads, 8 KV heads, head_dim 128, 2048 cached
 * positions, F16 K/V. {@code decode}: one query at position 2047 (bound by streaming 8 MiB of
 * K/V: compare with FloorsBench.readBandwidth). {@code prefill}: the last 512 of 2048 positions,
 * causal (about 2·2·32·128·(512·1536 + 512²/2) = 27 GFLOP: compare with FloorsBench.fmaThroughput).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class AttentionBench {
    private static final int HEAD_DIM = 128, N_HEAD = 32, N_HEAD_KV = 8, N_CTX = 2048;

    @Param({"F16"})
    public String kvType;

    /** Worker threads; 0 = the backend default. */
    @Param("0")
    public int threads;

    private Arena arena;
    private JavaBackend backend;
    private Tensor k, v, qDecode, outDecode, qPrefill, outPrefill;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        backend = new JavaBackend(new BackendOptions(threads, java.util.Map.of()));
        SplittableRandom r = new SplittableRandom(42);
        GgmlType t = GgmlType.valueOf(kvType);
        k = random(r, Tensor.allocate(arena, t, HEAD_DIM, N_HEAD_KV, N_CTX));
        v = random(r, Tensor.allocate(arena, t, HEAD_DIM, N_HEAD_KV, N_CTX));
        qDecode = random(r, Tensor.f32(arena, HEAD_DIM, N_HEAD, 1));
        outDecode = Tensor.f32(arena, HEAD_DIM, N_HEAD, 1);
        qPrefill = random(r, Tensor.f32(arena, HEAD_DIM, N_HEAD, 512));
        outPrefill = Tensor.f32(arena, HEAD_DIM, N_HEAD, 512);
    }

    private static Tensor random(SplittableRandom r, Tensor t) {
        for (long i = 0, n = t.elementCount(); i < n; i++) t.setFloat(i, (float) (r.nextDouble() * 2 - 1));
        return t;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
        arena.close();
    }

    @Benchmark
    public Tensor decode() {
        backend.attention(qDecode, k, v, outDecode, AttentionParams.causal((float) (1 / Math.sqrt(HEAD_DIM)), N_CTX - 1));
        return outDecode;
    }

    @Benchmark
    public Tensor prefill() {
        backend.attention(qPrefill, k, v, outPrefill, AttentionParams.causal((float) (1 / Math.sqrt(HEAD_DIM)), N_CTX - 512));
        return outPrefill;
    }
}
