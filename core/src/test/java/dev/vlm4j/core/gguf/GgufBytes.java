package dev.vlm4j.core.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Hand-assembles GGUF bytes field by field, so tests can plant a fault at a known offset. */
final class GgufBytes {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    /** Magic, version 3 and the two counts. */
    static GgufBytes header(long nTensors, long nKv) {
        return new GgufBytes().raw('G', 'G', 'U', 'F').u32(3).u64(nTensors).u64(nKv);
    }

    int pos() { return buf.position(); }

    private ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            ByteBuffer b = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            b.put(buf.flip());
            buf = b;
        }
        return buf;
    }

    GgufBytes raw(int... bytes) {
        for (int b : bytes) room(1).put((byte) b);
        return this;
    }

    GgufBytes u8(int v) { room(1).put((byte) v); return this; }

    GgufBytes u32(long v) { room(4).putInt((int) v); return this; }

    GgufBytes u64(long v) { room(8).putLong(v); return this; }

    GgufBytes f32(float v) { room(4).putFloat(v); return this; }

    GgufBytes str(String s) { return strBytes(s.getBytes(StandardCharsets.UTF_8)); }

    GgufBytes strBytes(byte[] b) {
        u64(b.length);
        room(b.length).put(b);
        return this;
    }

    /** A key and its value type id; the caller appends the value. */
    GgufBytes key(String key, GgufValueType type) { return str(key).u32(type.id()); }

    GgufBytes kvU32(String key, long v) { return key(key, GgufValueType.UINT32).u32(v); }

    GgufBytes kvString(String key, String v) { return key(key, GgufValueType.STRING).str(v); }

    /** A tensor info: name, n_dims, ne..., ggml type id, data offset. */
    GgufBytes tensor(String name, int typeId, long offset, long... ne) {
        str(name).u32(ne.length);
        for (long n : ne) u64(n);
        return u32(typeId).u64(offset);
    }

    GgufBytes zeros(int n) {
        room(n).put(new byte[n]);
        return this;
    }

    GgufBytes padTo(int alignment) { return zeros((alignment - pos() % alignment) % alignment); }

    byte[] bytes() { return Arrays.copyOf(buf.array(), buf.position()); }

    Path writeTo(Path dir, String name) throws IOException {
        return Files.write(dir.resolve(name), bytes());
    }
}
