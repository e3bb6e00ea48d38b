package dev.vlm4j.core.ggml;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Argument checks shared by every codec, so that bad offsets or counts fail up front with a
 * message naming the type and the range, instead of deep inside a block loop.
 */
final class CodecArgs {
    private CodecArgs() {}

    /** Validates a decode call and returns the number of blocks to decode. */
    static int checkDecode(GgmlType type, MemorySegment src, long srcOffset, float[] dst, int dstOffset, int n) {
        int blocks = checkCount(type, n);
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        checkBytes(type, "source", src, srcOffset, n);
        if (dstOffset < 0 || dstOffset > dst.length - n) {
            throw new IndexOutOfBoundsException(type.displayName() + ": destination range [" + dstOffset + ", "
                    + ((long) dstOffset + n) + ") outside float[" + dst.length + "]");
        }
        return blocks;
    }

    /** Validates an encode call and returns the number of blocks to encode. */
    static int checkEncode(GgmlType type, float[] src, int srcOffset, int n, MemorySegment dst, long dstOffset) {
        int blocks = checkCount(type, n);
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (srcOffset < 0 || srcOffset > src.length - n) {
            throw new IndexOutOfBoundsException(type.displayName() + ": source range [" + srcOffset + ", "
                    + ((long) srcOffset + n) + ") outside float[" + src.length + "]");
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException(type.displayName() + ": destination segment is read-only");
        }
        checkBytes(type, "destination", dst, dstOffset, n);
        return blocks;
    }

    private static int checkCount(GgmlType type, int n) {
        if (n < 0 || n % type.blockSize() != 0) {
            throw new IllegalArgumentException(type.displayName() + ": element count " + n
                    + " is not a non-negative multiple of the block size " + type.blockSize());
        }
        return n / type.blockSize();
    }

    private static void checkBytes(GgmlType type, String what, MemorySegment seg, long offset, int n) {
        long bytes = type.bytesFor(n);
        if (offset < 0 || offset > seg.byteSize() - bytes) {
            throw new IndexOutOfBoundsException(type.displayName() + ": " + what + " bytes [" + offset + ", "
                    + (offset + bytes) + ") for " + n + " elements outside a segment of " + seg.byteSize()
                    + " bytes");
        }
    }
}
