package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Little-endian, unaligned accessors for ggml block fields. ggml blocks are packed C structs
 * (2-byte f16 fields followed by byte arrays), so a block can start at any byte of a mapped
 * GGUF file; every multi-byte read here is therefore unaligned.
 */
final class LittleEndian {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    /** Unsigned byte at {@code off}. */
    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** Signed byte at {@code off}. */
    static int i8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off);
    }

    static void putU8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    static short i16(MemorySegment s, long off) {
        return s.get(I16, off);
    }

    static void putI16(MemorySegment s, long off, int v) {
        s.set(I16, off, (short) v);
    }

    static int i32(MemorySegment s, long off) {
        return s.get(I32, off);
    }

    static float f32(MemorySegment s, long off) {
        return s.get(F32, off);
    }

    static void putF32(MemorySegment s, long off, float v) {
        s.set(F32, off, v);
    }

    /** IEEE half at {@code off}, widened exactly (as ggml's GGML_FP16_TO_FP32). */
    static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16, off));
    }

    /** Stores {@code v} as an IEEE half, rounded to nearest even (as ggml's GGML_FP32_TO_FP16). */
    static void putF16(MemorySegment s, long off, float v) {
        s.set(I16, off, Float.floatToFloat16(v));
    }

    /** {@code v} rounded through an IEEE half, i.e. the value a stored f16 field reads back as. */
    static float roundToF16(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }
}
