package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

/**
 * The codec table: one {@link BlockDecoder} and optionally one {@link BlockEncoder} per
 * {@link GgmlType}. Decoders reproduce ggml's reference {@code dequantize_row_*} bit for bit;
 * encoders exist for the types vlm4j writes (F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K) and the
 * activation formats of quantized dot products (Q8_1, Q8_K). Each family lives in its own
 * {@code *Codec} class; this class only keys them by type. Every codec checks its arguments
 * (count a multiple of the block size, byte and array ranges in bounds) before touching data.
 */
public final class Codecs {
    private static final Map<GgmlType, BlockDecoder> DECODERS = new EnumMap<>(GgmlType.class);
    private static final Map<GgmlType, BlockEncoder> ENCODERS = new EnumMap<>(GgmlType.class);

    static {
        DECODERS.put(GgmlType.F32, F32Codec::decode);
        DECODERS.put(GgmlType.F16, F16Codec::decode);
        DECODERS.put(GgmlType.BF16, BF16Codec::decode);
        DECODERS.put(GgmlType.Q4_0, Q4_0Codec::decode);
        DECODERS.put(GgmlType.Q4_1, Q4_1Codec::decode);
        DECODERS.put(GgmlType.Q5_0, Q5_0Codec::decode);
        DECODERS.put(GgmlType.Q5_1, Q5_1Codec::decode);
        DECODERS.put(GgmlType.Q8_0, Q8_0Codec::decode);
        DECODERS.put(GgmlType.Q8_1, Q8_1Codec::decode);
        DECODERS.put(GgmlType.Q2_K, Q2_KCodec::decode);
        DECODERS.put(GgmlType.Q3_K, Q3_KCodec::decode);
        DECODERS.put(GgmlType.Q4_K, Q4_KCodec::decode);
        DECODERS.put(GgmlType.Q5_K, Q5_KCodec::decode);
        DECODERS.put(GgmlType.Q6_K, Q6_KCodec::decode);
        DECODERS.put(GgmlType.Q8_K, Q8_KCodec::decode);

        ENCODERS.put(GgmlType.F32, F32Codec::encode);
        ENCODERS.put(GgmlType.F16, F16Codec::encode);
        ENCODERS.put(GgmlType.BF16, BF16Codec::encode);
        ENCODERS.put(GgmlType.Q8_0, Q8_0Codec::encode);
        ENCODERS.put(GgmlType.Q8_1, Q8_1Codec::encode);
        ENCODERS.put(GgmlType.Q8_K, Q8_KCodec::encode);
        ENCODERS.put(GgmlType.Q4_0, Q4_0Codec::encode);
        ENCODERS.put(GgmlType.Q4_K, Q4_KEncoder::encode);
        ENCODERS.put(GgmlType.Q6_K, Q6_KEncoder::encode);
    }

    private Codecs() {}

    public static boolean canDecode(GgmlType type) {
        return DECODERS.containsKey(type);
    }

    public static boolean canEncode(GgmlType type) {
        return ENCODERS.containsKey(type);
    }

    /** The decoder for {@code type}; throws {@link UnsupportedOperationException} naming the type if none. */
    public static BlockDecoder decoder(GgmlType type) {
        BlockDecoder d = DECODERS.get(type);
        if (d == null) throw new UnsupportedOperationException("no decoder for ggml type " + type.displayName());
        return d;
    }

    /** The encoder for {@code type}; throws {@link UnsupportedOperationException} naming the type if none. */
    public static BlockEncoder encoder(GgmlType type) {
        BlockEncoder e = ENCODERS.get(type);
        if (e == null) throw new UnsupportedOperationException("no encoder for ggml type " + type.displayName());
        return e;
    }

    /** Decodes {@code n} elements of {@code type} at byte {@code offset} into a new array. */
    public static float[] decode(GgmlType type, MemorySegment src, long offset, int n) {
        float[] out = new float[n];
        decoder(type).decode(src, offset, out, 0, n);
        return out;
    }

    /**
     * Encodes {@code src} (a whole number of {@code type} blocks) into a new heap segment of
     * {@code type.bytesFor(src.length)} bytes.
     */
    public static MemorySegment encode(GgmlType type, float[] src) {
        BlockEncoder e = encoder(type);
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(type.bytesFor(src.length))]);
        e.encode(src, 0, src.length, out, 0);
        return out;
    }
}
