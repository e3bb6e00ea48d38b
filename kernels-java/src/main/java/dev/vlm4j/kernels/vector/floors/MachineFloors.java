package dev.vlm4j.kernels.vector.floors;

import dev.vlm4j.kernels.vector.WorkerPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two ceilings every kernel is judged against, measured on this machine with the same
 * threads the backend uses: streaming read bandwidth (decode is bound by weight bytes) and
 * FMA throughput (prefill and the ViT are bound by FLOPs). Quick probes (about a second each) for
 * the {@code bench} command; the JMH {@code FloorsBench} measures the same with forks and warm-up.
 */
public final class MachineFloors {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private MachineFloors() {}

    /** Best-of-{@code reps} read bandwidth in GB/s over a {@code bytes} off-heap buffer, summed with SIMD loads. */
    public static double readBandwidthGBs(WorkerPool pool, long bytes, int reps) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment seg = arena.allocate(bytes, 64);
            seg.fill((byte) 1);
            int tasks = pool.threads();
            long chunk = (bytes / tasks) & ~((long) F.vectorByteSize() * 4 - 1);
            double[] sink = new double[tasks];
            // warm-up on a small slice: the Vector API is only intrinsified once C2 has compiled the loop
            for (int i = 0; i < 2000; i++) sink[0] += sum(seg, 0, Math.min(chunk, 1 << 16));
            double best = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                pool.forEach(tasks, t -> sink[t] += sum(seg, t * chunk, chunk));
                double s = (System.nanoTime() - t0) / 1e9;
                best = Math.max(best, chunk * tasks / s / 1e9);
            }
            if (Double.isNaN(sink[0])) throw new IllegalStateException("unreachable: keeps the sums alive");
            return best;
        }
    }

    private static double sum(MemorySegment seg, long from, long len) {
        int step = F.vectorByteSize();
        FloatVector a = FloatVector.zero(F), b = a, c = a, d = a;
        for (long o = from, end = from + len; o < end; o += 4L * step) {
            a = a.add(FloatVector.fromMemorySegment(F, seg, o, ByteOrder.LITTLE_ENDIAN));
            b = b.add(FloatVector.fromMemorySegment(F, seg, o + step, ByteOrder.LITTLE_ENDIAN));
            c = c.add(FloatVector.fromMemorySegment(F, seg, o + 2L * step, ByteOrder.LITTLE_ENDIAN));
            d = d.add(FloatVector.fromMemorySegment(F, seg, o + 3L * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a.add(b).add(c).add(d).reduceLanes(VectorOperators.ADD);
    }

    /** Best-of-{@code reps} FMA throughput in GFLOP/s (2 FLOP per lane per fma), all pool threads. */
    public static double fmaGflops(WorkerPool pool, long itersPerThread, int reps) {
        int tasks = pool.threads();
        double[] sink = new double[tasks];
        for (int i = 0; i < 2000; i++) sink[0] += fmaChains(5_000);   // warm-up: let C2 compile (and intrinsify) the loop
        double best = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            pool.forEach(tasks, t -> sink[t] += fmaChains(itersPerThread));
            double s = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * F.length() * 8 * itersPerThread * tasks / s / 1e9);
        }
        if (Double.isNaN(sink[0])) throw new IllegalStateException("unreachable: keeps the sums alive");
        return best;
    }

    /** Eight independent accumulator chains hide the FMA latency (4-5 cycles, 2 ports). */
    private static double fmaChains(long iters) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f), k = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, k); a1 = a1.fma(m, k); a2 = a2.fma(m, k); a3 = a3.fma(m, k);
            a4 = a4.fma(m, k); a5 = a5.fma(m, k); a6 = a6.fma(m, k); a7 = a7.fma(m, k);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }
}
