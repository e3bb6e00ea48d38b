package dev.vlm4j.benchmarks;

import dev.vlm4j.core.backend.BackendOptions;
import dev.vlm4j.core.backend.Lora;
import dev.vlm4j.core.backend.LoraTerm;
import dev.vlm4j.core.ggml.Codecs;
import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.tensor.Tensor;
import dev.vlm4j.kernels.vector.JavaBackend;
import java.lang.foreign.Arena;
import java.util.Map;
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
 * Cost of a fused rank-16 LoRA on a 4096×4096 Q4_0 GEMV (one token, the decode case): {@code plain}
 * vs {@code lora}, same weights, same input, run side by side. Target: lora / plain ≤ 1.10.
 * A and B are {@code loraType} (F32: 2·16·4096·4 = 512 KiB extra next to 9 MiB of Q4_0).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class LoraBench {
    private static final int N = 4096, RANK = 16;

    @Param({"F32", "F16"})
    public String loraType;

    /** Worker threads; 0 = the backend default. */
    @Param("0")
    public int threads;

    private Arena arena;
    private JavaBackend backend;
    private Tensor w, x, y;
    private Lora lora;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        backend = new JavaBackend(new BackendOptions(threads, Map.of()));
        SplittableRandom r = new SplittableRandom(7);
        w = Tensor.allocate(arena, GgmlType.Q4_0, N, N);
        float[] values = new float[N * N];
        for (int i = 0; i < values.length; i++) values[i] = (float) (r.nextDouble() * 2 - 1);
        Codecs.encoder(GgmlType.Q4_0).encode(values, 0, values.length, w.data(), 0);
        x = random(r, Tensor.f32(arena, N, 1));
        y = Tensor.f32(arena, N, 1);
        GgmlType t = GgmlType.valueOf(loraType);
        Tensor a = random(r, Tensor.allocate(arena, t, N, RANK));
        Tensor b = random(r, Tensor.allocate(arena, t, RANK, N));
        lora = Lora.of(new LoraTerm(a, b, 0.5f));
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
    public Tensor plain() {
        backend.matmul(w, x, y);
        return y;
    }

    @Benchmark
    public Tensor lora() {
        backend.matmul(w, x, y, lora);
        return y;
    }
}
