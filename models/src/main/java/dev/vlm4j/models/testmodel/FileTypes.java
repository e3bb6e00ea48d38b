package dev.vlm4j.models.testmodel;

import dev.vlm4j.core.ggml.GgmlType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code general.file_type} values (llama.cpp's {@code llama_ftype}) for the weight types
 * synthetic models can be written in. Q4_K maps to "Q4_K_M", which is what llama-quantize
 * records even with {@code --pure}.
 */
public final class FileTypes {
    private static final Map<GgmlType, Integer> FTYPE = new EnumMap<>(GgmlType.class);

    static {
        FTYPE.put(GgmlType.F32, 0);
        FTYPE.put(GgmlType.F16, 1);
        FTYPE.put(GgmlType.Q4_0, 2);
        FTYPE.put(GgmlType.Q8_0, 7);
        FTYPE.put(GgmlType.Q4_K, 15);
        FTYPE.put(GgmlType.Q6_K, 18);
        FTYPE.put(GgmlType.BF16, 32);
    }

    private FileTypes() {}

    /** The weight types a synthetic model can be written in. */
    public static Set<GgmlType> supported() {
        return FTYPE.keySet();
    }

    /** The llama_ftype id for a model whose weights are mostly {@code type}. */
    public static int of(GgmlType type) {
        Integer f = FTYPE.get(type);
        if (f == null) {
            throw new IllegalArgumentException("no synthetic models in " + type.displayName() + " (supported: "
                    + String.join(", ", supported().stream().map(GgmlType::displayName).toList()) + ")");
        }
        return f;
    }
}
