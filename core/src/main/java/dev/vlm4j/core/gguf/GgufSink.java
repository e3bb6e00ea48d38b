package dev.vlm4j.core.gguf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A growable little-endian byte buffer for encoding a GGUF header in memory. */
final class GgufSink {
    private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

    long position() { return buf.position(); }

    private ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
            if (want > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("GGUF header larger than 2 GiB");
            ByteBuffer bigger = ByteBuffer.allocate((int) want).order(ByteOrder.LITTLE_ENDIAN);
            bigger.put(buf.flip());
            buf = bigger;
        }
        return buf;
    }

    void u8(int v) { room(1).put((byte) v); }

    void u16(int v) { room(2).putShort((short) v); }

    void u32(long v) { room(4).putInt((int) v); }

    void u64(long v) { room(8).putLong(v); }

    void f32(float v) { room(4).putFloat(v); }

    void f64(double v) { room(8).putDouble(v); }

    void bytes(byte[] b) { room(b.length).put(b); }

    /** u64 byte length, then UTF-8; a string that is not valid UTF-16 (a lone surrogate) is rejected. */
    void string(String s) {
        byte[] b;
        if (isAscii(s)) {
            b = s.getBytes(StandardCharsets.ISO_8859_1);
        } else {
            try {
                ByteBuffer enc = utf8.encode(CharBuffer.wrap(s));
                b = new byte[enc.remaining()];
                enc.get(b);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("string is not valid UTF-16 (lone surrogate?): " + s, e);
            }
        }
        u64(b.length);
        bytes(b);
    }

    /** Zero bytes up to the next multiple of {@code alignment}. */
    void padTo(long alignment) {
        long pad = GgufParser.alignUp(buf.position(), alignment) - buf.position();
        for (long i = 0; i < pad; i++) u8(0);
    }

    /** The bytes written so far, as a read-only view. */
    ByteBuffer contents() {
        return buf.duplicate().flip().asReadOnlyBuffer();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) return false;
        }
        return true;
    }
}
