package dev.vlm4j.models.testmodel;

import dev.vlm4j.core.ggml.GgmlType;
import dev.vlm4j.core.gguf.GgufValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * The layout of a synthetic model file: metadata and tensor plan for a chosen weight type,
 * in the order llama.cpp's converters write them.
 */
public sealed interface ModelShape permits LlamaShape, ClipShape {

    /** The name the CLI knows the shape by, e.g. {@code tiny} or {@code clip-l-336}. */
    String name();

    /** Metadata in file order for weights stored as {@code type}. */
    SequencedMap<String, GgufValue> metadata(GgmlType type);

    /** Tensors in file order for weights stored as {@code type} (norms, biases stay F32). */
    List<TensorSpec> tensors(GgmlType type);

    /** The built-in shapes by name, in the order the CLI lists them. */
    static Map<String, ModelShape> builtIn() {
        Map<String, ModelShape> m = new LinkedHashMap<>();
        for (ModelShape s : List.of(LlamaShape.TINY, LlamaShape.TINYLLAMA_1B, ClipShape.TINY, ClipShape.CLIP_L_336)) {
            m.put(s.name(), s);
        }
        return m;
    }

    /** The built-in shape called {@code name}; throws naming the known shapes otherwise. */
    static ModelShape named(String name) {
        ModelShape s = builtIn().get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown model shape '" + name + "' (known: " + String.join(", ", builtIn().keySet()) + ")");
        }
        return s;
    }
}
