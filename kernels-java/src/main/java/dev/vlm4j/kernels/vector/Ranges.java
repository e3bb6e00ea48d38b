package dev.vlm4j.kernels.vector;

/**
 * Splits element or row ranges over the {@link WorkerPool}: small jobs run inline on the caller
 * (a pool hand-off costs microseconds, more than a few thousand floats of work).
 */
final class Ranges {
    /** Elements below which an elementwise op is not worth splitting. */
    static final long MIN_ELEMENTS_PER_TASK = 16_384;

    @FunctionalInterface
    interface Body {
        void run(long from, long to);
    }

    private Ranges() {}

    /**
     * Runs {@code body} over [0, n) in chunks of at least {@code minChunk} units, chunk starts
     * aligned to {@code align} units (keeps SIMD loops on whole vectors except the last chunk).
     */
    static void split(WorkerPool pool, long n, long minChunk, int align, Body body) {
        if (n <= 0) return;
        long tasks = Math.min((long) pool.threads() * 4, Math.max(1, n / Math.max(1, minChunk)));
        if (tasks <= 1) {
            body.run(0, n);
            return;
        }
        long chunk = (n + tasks - 1) / tasks;
        chunk = (chunk + align - 1) / align * align;
        long size = chunk;
        int count = (int) ((n + size - 1) / size);
        pool.forEach(count, t -> body.run(t * size, Math.min(n, (t + 1) * size)));
    }

    /** Element ranges of a flat F32 op. */
    static void elements(WorkerPool pool, long n, Body body) {
        split(pool, n, MIN_ELEMENTS_PER_TASK, Simd.L, body);
    }

    /** Row ranges for row-wise ops over rows of {@code rowLen} elements. */
    static void rows(WorkerPool pool, long rows, long rowLen, Body body) {
        split(pool, rows, Math.max(1, MIN_ELEMENTS_PER_TASK / Math.max(1, rowLen)), 1, body);
    }
}
