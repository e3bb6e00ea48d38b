package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/**
 * The codec table: one {@link BlockDecoder} and optionally one {@link BlockEncoder} per
 * {@link GgmlType}. Placeholder with F32 and F16 only; the full table lands with the codecs work.
 */
public final class Codecs {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final Map<GgmlType, BlockDecoder> DECODERS = new EnumMap<>(GgmlType.class);
    private static final Map<GgmlType, BlockEncoder> ENCODERS = new EnumMap<>(GgmlType.class);

    static {
        DECODERS.put(GgmlType.F32, (src, off, dst, d, n) -> {
            for (int i = 0; i < n; i++) dst[d + i] = src.get(F32, off + 4L * i);
        });
        DECODERS.put(GgmlType.F16, (src, off, dst, d, n) -> {
            for (int i = 0; i < n; i++) dst[d + i] = Float.float16ToFloat(src.get(I16, off + 2L * i));
        });
        ENCODERS.put(GgmlType.F32, (src, s, n, dst, off) -> {
            for (int i = 0; i < n; i++) dst.set(F32, off + 4L * i, src[s + i]);
        });
        ENCODERS.put(GgmlType.F16, (src, s, n, dst, off) -> {
            for (int i = 0; i < n; i++) dst.set(I16, off + 2L * i, Float.floatToFloat16(src[s + i]));
        });
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
}
