package dev.vlm4j.core.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A little-endian reader over the header bytes of a GGUF file that checks every read against
 * the bytes that remain, so that a truncated or lying header fails with a
 * {@link GgufFormatException} at the offending byte instead of an out-of-bounds access or an
 * allocation sized by an untrusted count.
 */
final class GgufCursor {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Java arrays stop a little short of Integer.MAX_VALUE. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path path;
    private final MemorySegment bytes;
    private final long size;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private long pos;

    GgufCursor(Path path, MemorySegment bytes) {
        this.path = path;
        this.bytes = bytes;
        this.size = bytes.byteSize();
    }

    long position() { return pos; }

    long size() { return size; }

    long remaining() { return size - pos; }

    GgufFormatException error(long at, String what) {
        return new GgufFormatException(path, at, what);
    }

    /** Fails unless {@code n} more bytes exist; {@code what} names the field being read. */
    void need(long n, String what) throws GgufFormatException {
        if (n > size - pos) {
            throw error(pos, "file truncated: " + what + " needs " + n + " bytes, " + remaining() + " left");
        }
    }

    int u8(String what) throws GgufFormatException {
        need(1, what);
        return Byte.toUnsignedInt(bytes.get(ValueLayout.JAVA_BYTE, pos++));
    }

    short i16(String what) throws GgufFormatException {
        need(2, what);
        short v = bytes.get(I16, pos);
        pos += 2;
        return v;
    }

    int i32(String what) throws GgufFormatException {
        need(4, what);
        int v = bytes.get(I32, pos);
        pos += 4;
        return v;
    }

    long u32(String what) throws GgufFormatException {
        return Integer.toUnsignedLong(i32(what));
    }

    /** A u64 as raw bits: values of 2^63 and more come back negative. */
    long u64(String what) throws GgufFormatException {
        need(8, what);
        long v = bytes.get(I64, pos);
        pos += 8;
        return v;
    }

    float f32(String what) throws GgufFormatException {
        need(4, what);
        float v = bytes.get(F32, pos);
        pos += 4;
        return v;
    }

    double f64(String what) throws GgufFormatException {
        need(8, what);
        double v = bytes.get(F64, pos);
        pos += 8;
        return v;
    }

    /**
     * Reads a u64 element count and checks that {@code count * minBytesEach} bytes remain after
     * it, and that the count fits a Java array; nothing is allocated before that check passes.
     */
    int count(String what, int minBytesEach) throws GgufFormatException {
        long at = pos;
        long n = u64(what + " count");
        if (n < 0 || n > remaining() / minBytesEach) {
            throw error(at, what + " count " + Long.toUnsignedString(n) + " does not fit the " + remaining()
                    + " bytes that remain (each element takes at least " + minBytesEach + ")");
        }
        if (n > MAX_ARRAY) throw error(at, what + " count " + n + " exceeds the largest supported array");
        return (int) n;
    }

    /** A GGUF string: u64 byte length, then that many bytes of strict UTF-8. */
    String string(String what) throws GgufFormatException {
        long at = pos;
        long n = u64(what + " length");
        if (n < 0 || n > remaining()) {
            throw error(at, what + " length " + Long.toUnsignedString(n) + " exceeds the " + remaining() + " bytes that remain");
        }
        if (n > MAX_ARRAY) throw error(at, what + " length " + n + " exceeds the largest supported string");
        byte[] raw = new byte[(int) n];
        MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, pos, raw, 0, raw.length);
        long start = pos;
        pos += n;
        if (isAscii(raw)) return new String(raw, StandardCharsets.ISO_8859_1);
        try {
            return utf8.decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw error(start, what + " is not valid UTF-8");
        }
    }

    /** Copies {@code n} little-endian floats (bounds already checked by {@link #count}). */
    float[] f32s(int n) throws GgufFormatException {
        need(4L * n, "float32 array");
        float[] out = new float[n];
        MemorySegment.copy(bytes, F32, pos, out, 0, n);
        pos += 4L * n;
        return out;
    }

    /** Copies {@code n} little-endian doubles (bounds already checked by {@link #count}). */
    double[] f64s(int n) throws GgufFormatException {
        need(8L * n, "float64 array");
        double[] out = new double[n];
        MemorySegment.copy(bytes, F64, pos, out, 0, n);
        pos += 8L * n;
        return out;
    }

    private static boolean isAscii(byte[] raw) {
        for (byte b : raw) {
            if (b < 0) return false;
        }
        return true;
    }
}
