package dev.vlm4j.kernels.vector.matmul;

/**
 * Per-thread working memory of the matmul drivers, grown on demand and reused across calls so
 * that no call allocates in its loops. Each field has one user: the calling thread's activation
 * copies, or a task's panel and accumulators.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /** GEMV activation row (caller thread). */
    final Activations act = new Activations();
    /** GEMM activations x {@code [n_in, n_tok]} as float32 (caller thread). */
    float[] x = new float[0];
    /** GEMV/GEMM outputs before they are copied to y (caller thread). */
    float[] y = new float[0];
    /** Decoded weight panel {@code [kc, rows]} (task). */
    float[] panel = new float[0];
    /** Partial sums {@code [n_tok, rows]} (task). */
    float[] acc = new float[0];

    static Scratch get() {
        return LOCAL.get();
    }

    float[] x(int n) {
        if (x.length < n) x = new float[n];
        return x;
    }

    float[] y(int n) {
        if (y.length < n) y = new float[n];
        return y;
    }

    float[] panel(int n) {
        if (panel.length < n) panel = new float[n];
        return panel;
    }

    float[] acc(int n) {
        if (acc.length < n) acc = new float[n];
        return acc;
    }
}
