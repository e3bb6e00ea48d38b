package dev.vlm4j.models.testmodel;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes random-weight models in llama.cpp's exact tensor naming and metadata layout, for
 * tests and benchmarks that need a real-shaped file without downloading one. Weights are
 * normal(0, 0.02) from {@code seed} (norm weights 1, biases 0); the same seed gives the same
 * values in every type, before encoding.
 *
 * <pre>{@code
 * TestModels.write(LlamaShape.TINY, GgmlType.Q8_0, 42, dir.resolve("tiny.gguf"));
 * TestModels.write(ModelShape.named("clip-l-336"), GgmlType.F16, 42, dir.resolve("mmproj.gguf"));
 * }</pre>
 */
public final class TestModels {
    private TestModels() {}

    /** Writes {@code shape} with weight matrices in {@code type} to {@code out} (replacing it). */
    public static void write(ModelShape shape, GgmlType type, long seed, Path out) throws IOException {
        List<TensorSpec> tensors = shape.tensors(type);
        GgufWriter w = new GgufWriter();
        shape.metadata(type).forEach(w::put);
        for (TensorSpec t : tensors) {
            RandomWeights values = new RandomWeights(t, seed);
            w.addTensor(t.name(), t.type(), t.shape(), values::fill);
        }
        w.write(out);
    }

    /** Number of weights (elements of every tensor) of {@code shape}. */
    public static long parameterCount(ModelShape shape) {
        return shape.tensors(GgmlType.F32).stream().mapToLong(TensorSpec::elementCount).sum();
    }

    /** Bytes of tensor data (without header and padding) of {@code shape} stored as {@code type}. */
    public static long dataBytes(ModelShape shape, GgmlType type) {
        return shape.tensors(type).stream().mapToLong(TensorSpec::byteSize).sum();
    }
}
