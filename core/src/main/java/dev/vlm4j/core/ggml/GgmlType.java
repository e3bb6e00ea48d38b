package dev.vlm4j.core.ggml;

import java.util.Locale;
import java.util.Optional;

/**
 * The ggml tensor element types, with the ids GGUF files store and the block geometry that
 * decides how many bytes a row takes. Ids and sizes follow ggml's {@code ggml_type} table;
 * ids that ggml retired (4, 5, 31-33) are absent, so a file using them is rejected as unknown.
 *
 * <p>Decoding lives in {@link Codecs}: a table keyed by type, so that the enum stays a plain
 * description of the format.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q4_1(3, 32, 20),
    Q5_0(6, 32, 22),
    Q5_1(7, 32, 24),
    Q8_0(8, 32, 34),
    Q8_1(9, 32, 36),
    Q2_K(10, 256, 84),
    Q3_K(11, 256, 110),
    Q4_K(12, 256, 144),
    Q5_K(13, 256, 176),
    Q6_K(14, 256, 210),
    Q8_K(15, 256, 292),
    IQ2_XXS(16, 256, 66),
    IQ2_XS(17, 256, 74),
    IQ3_XXS(18, 256, 98),
    IQ1_S(19, 256, 50),
    IQ4_NL(20, 32, 18),
    IQ3_S(21, 256, 110),
    IQ2_S(22, 256, 82),
    IQ4_XS(23, 256, 136),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    F64(28, 1, 8),
    IQ1_M(29, 256, 56),
    BF16(30, 1, 2),
    TQ1_0(34, 256, 54),
    TQ2_0(35, 256, 66);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int typeSize;

    GgmlType(int id, int blockSize, int typeSize) {
        this.id = id;
        this.blockSize = blockSize;
        this.typeSize = typeSize;
    }

    /** The id stored in GGUF tensor infos. */
    public int id() {
        return id;
    }

    /** Elements per block (1 for plain types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int typeSize() {
        return typeSize;
    }

    /** True for block-quantized types (everything that is not a plain float or integer). */
    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** Lower-case name as llama.cpp prints it, e.g. {@code q4_k}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Bytes taken by {@code elements} elements (a row, typically). The caller guarantees that
     * {@code elements} is a multiple of {@link #blockSize()}; see {@link #isRowAligned(long)}.
     */
    public long bytesFor(long elements) {
        return Math.multiplyExact(elements / blockSize, (long) typeSize);
    }

    /** True when {@code elements} is a whole number of blocks. */
    public boolean isRowAligned(long elements) {
        return elements % blockSize == 0;
    }

    /** The type with ggml id {@code id}, or empty for ids ggml does not define. */
    public static Optional<GgmlType> byId(long id) {
        if (id < 0 || id >= BY_ID.length) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_ID[(int) id]);
    }

    /** Parses {@code q4_k}, {@code Q4_K}, {@code f16}...; throws with the accepted names otherwise. */
    public static GgmlType parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown ggml type '" + name + "'");
        }
    }
}
