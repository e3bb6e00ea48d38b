package dev.vlm4j.models;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.models.lora.AdapterSet;

/**
 * Per-session settings.
 *
 * @param contextSize KV cache positions (0: the model's training context, capped at 4096)
 * @param kvType      F16 (default, as llama.cpp) or F32
 * @param batchSize   prompt tokens per forward pass (prefill runs through the GEMM path in batches)
 * @param adapters    LoRA adapters active in this session
 */
public record SessionOptions(int contextSize, GgmlType kvType, int batchSize, AdapterSet adapters) {
    public SessionOptions {
        if (contextSize < 0) throw new IllegalArgumentException("context size must be >= 0, got " + contextSize);
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (adapters == null) adapters = AdapterSet.NONE;
    }

    public static SessionOptions defaults() {
        return new SessionOptions(0, GgmlType.F16, 512, AdapterSet.NONE);
    }

    public SessionOptions withContextSize(int n) {
        return new SessionOptions(n, kvType, batchSize, adapters);
    }

    public SessionOptions withKvType(GgmlType t) {
        return new SessionOptions(contextSize, t, batchSize, adapters);
    }

    public SessionOptions withBatchSize(int b) {
        return new SessionOptions(contextSize, kvType, b, adapters);
    }

    public SessionOptions withAdapters(AdapterSet a) {
        return new SessionOptions(contextSize, kvType, batchSize, a);
    }
}
