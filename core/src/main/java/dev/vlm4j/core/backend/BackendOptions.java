package dev.vlm4j.core.backend;

import java.util.Map;

/**
 * Options for {@link BackendProvider#create}.
 *
 * @param threads worker threads; 0 means the backend's default (physical cores)
 * @param extra   backend-specific settings (e.g. {@code device=0} for CUDA)
 */
public record BackendOptions(int threads, Map<String, String> extra) {
    public BackendOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        extra = Map.copyOf(extra);
    }

    public static BackendOptions defaults() {
        return new BackendOptions(0, Map.of());
    }

    public static BackendOptions threads(int threads) {
        return new BackendOptions(threads, Map.of());
    }

    /** Threads to use when {@link #threads()} is 0: one per core the JVM sees, halved when SMT is likely. */
    public int resolvedThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
