package dev.vlm4j.core.gguf;

import dev.vlm4j.core.ggml.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a GGUF version 3 file: metadata in insertion order, then tensor infos, then the
 * tensor data, each tensor starting at a multiple of the alignment. Tensor bytes are written
 * through a memory mapping of the output, one tensor at a time, either copied from a segment
 * or produced by a {@link TensorFiller}, so files larger than 2 GiB need no heap for their data.
 *
 * <pre>{@code
 * new GgufWriter()
 *     .putString("general.architecture", "llama")
 *     .putU32("llama.block_count", 2)
 *     .addTensor("token_embd.weight", GgmlType.F32, new long[] {256, 512}, segment)
 *     .write(path);
 * }</pre>
 *
 * <p>Argument errors (duplicate keys or tensor names, payloads that do not match their type,
 * wrong data sizes) throw {@link IllegalArgumentException} when the item is added.
 */
public final class GgufWriter {
    /** Produces a tensor's bytes straight into its place in the output file. */
    @FunctionalInterface
    public interface TensorFiller {
        /**
         * Fills {@code dst} (exactly the tensor's byte size, zeroed; valid only during this call).
         */
        void fill(MemorySegment dst) throws IOException;
    }

    private record PendingTensor(String name, GgmlType type, long[] shape, long bytes, MemorySegment data, TensorFiller filler) {}

    private static final int VERSION = 3;

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();
    private long alignment = GgufParser.DEFAULT_ALIGNMENT;

    /** A writer for GGUF version 3 with alignment 32. */
    public GgufWriter() {}

    /**
     * Sets the data alignment (a power of two); a value other than 32 is recorded as
     * {@code general.alignment} (uint32), appended to the metadata unless already present.
     */
    public GgufWriter alignment(int bytes) {
        if (bytes <= 0 || (bytes & (bytes - 1)) != 0) throw new IllegalArgumentException("alignment " + bytes + " is not a power of two");
        alignment = bytes;
        if (metadata.containsKey(GgufParser.ALIGNMENT_KEY)) metadata.put(GgufParser.ALIGNMENT_KEY, GgufValue.u32(bytes));
        return this;
    }

    /**
     * Adds a metadata entry. The payload must have exactly the Java representation
     * {@link GgufValue} documents for its type. {@code general.alignment} must be a uint32 power
     * of two and sets the alignment.
     */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (metadata.containsKey(key)) throw new IllegalArgumentException("duplicate metadata key '" + key + "'");
        GgufValues.check(key, value);
        GgufValues.checkUtf16(key, "metadata key");
        if (key.equals(GgufParser.ALIGNMENT_KEY)) {
            long a = value.type() == GgufValueType.UINT32 ? value.asLong() : -1;
            if (a <= 0 || a > Integer.MAX_VALUE || (a & (a - 1)) != 0) {
                throw new IllegalArgumentException(key + " must be a uint32 power of two below 2^31, got " + value.describeType() + " " + value);
            }
            alignment = a;
        }
        metadata.put(key, value);
        return this;
    }

    public GgufWriter putString(String key, String v) { return put(key, GgufValue.string(v)); }

    /** A uint32 in 0..2^32-1. */
    public GgufWriter putU32(String key, long v) { return put(key, GgufValue.u32(v)); }

    public GgufWriter putI32(String key, int v) { return put(key, GgufValue.i32(v)); }

    public GgufWriter putF32(String key, float v) { return put(key, GgufValue.f32(v)); }

    public GgufWriter putBool(String key, boolean v) { return put(key, GgufValue.bool(v)); }

    public GgufWriter putStrings(String key, String... v) { return put(key, GgufValue.strings(v.clone())); }

    public GgufWriter putF32s(String key, float... v) { return put(key, GgufValue.f32s(v.clone())); }

    public GgufWriter putI32s(String key, int... v) {
        return put(key, GgufValue.i32s(Arrays.stream(v).asLongStream().toArray()));
    }

    /**
     * Adds a tensor whose bytes are copied from {@code data} at {@link #write} time;
     * {@code data.byteSize()} must equal the tensor's size and the segment must stay alive until then.
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, MemorySegment data) {
        long bytes = checkTensor(name, type, shape);
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type.displayName() + Arrays.toString(shape)
                    + " takes " + bytes + " bytes, data has " + data.byteSize());
        }
        return add(new PendingTensor(name, type, shape.clone(), bytes, data, null));
    }

    /** Adds a tensor whose bytes {@code filler} writes straight into the output at {@link #write} time. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorFiller filler) {
        long bytes = checkTensor(name, type, shape);
        return add(new PendingTensor(name, type, shape.clone(), bytes, null, Objects.requireNonNull(filler, "filler")));
    }

    private GgufWriter add(PendingTensor t) {
        tensorNames.add(t.name());
        tensors.add(t);
        return this;
    }

    /** Validates like the reader does and returns the tensor's byte size. */
    private long checkTensor(String name, GgmlType type, long[] shape) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        GgufValues.checkUtf16(name, "tensor name");
        if (tensorNames.contains(name)) throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        if (shape.length < 1 || shape.length > GgufParser.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' needs 1 to " + GgufParser.MAX_DIMS + " dimensions, got " + shape.length);
        }
        for (long d : shape) {
            if (d <= 0) throw new IllegalArgumentException("tensor '" + name + "' has a dimension of " + d + " in " + Arrays.toString(shape));
        }
        if (!type.isRowAligned(shape[0])) {
            throw new IllegalArgumentException("tensor '" + name + "': ne[0] = " + shape[0] + " is not a multiple of the "
                    + type.displayName() + " block size " + type.blockSize());
        }
        try {
            long count = 1;
            for (long d : shape) count = Math.multiplyExact(count, d);
            return Math.multiplyExact(type.bytesFor(shape[0]), count / shape[0]);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("tensor '" + name + "' " + Arrays.toString(shape) + " is too large for 64-bit sizes");
        }
    }

    /**
     * Writes the file to {@code path}, replacing any file there. The bytes go to a temporary file
     * in the same folder that is then moved into place, so that on failure (including an
     * exception from a filler) {@code path} is left as it was, and a file being rewritten may
     * still be mapped as the source of tensor data.
     */
    public void write(Path path) throws IOException {
        Path abs = path.toAbsolutePath();
        // createFile (not createTempFile) so the result gets the usual umask permissions, not 0600
        Path tmp = abs.resolveSibling(abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".partial");
        Files.createFile(tmp);
        try {
            writeTo(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void writeTo(Path path) throws IOException {
        Map<String, GgufValue> kv = new LinkedHashMap<>(metadata);
        if (alignment != GgufParser.DEFAULT_ALIGNMENT) kv.putIfAbsent(GgufParser.ALIGNMENT_KEY, GgufValue.u32(alignment));
        long[] offsets = new long[tensors.size()];
        long dataSize = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = dataSize;
            dataSize = GgufParser.alignUp(Math.addExact(dataSize, tensors.get(i).bytes()), alignment);
        }
        GgufSink header = encodeHeader(kv, offsets);
        long dataOffset = GgufParser.alignUp(header.position(), alignment);
        // Without tensors the file ends with the header, as llama.cpp's vocab-only files do.
        long total = tensors.isEmpty() ? header.position() : Math.addExact(dataOffset, dataSize);
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            writeFully(ch, header.contents(), 0);
            // Extending the file by its last byte leaves the padding as zeros (a sparse hole)
            // and makes every tensor's region exist before it is mapped.
            if (total > header.position()) writeFully(ch, ByteBuffer.allocate(1), total - 1);
            for (int i = 0; i < offsets.length; i++) writeTensor(ch, tensors.get(i), dataOffset + offsets[i]);
        }
    }

    private GgufSink encodeHeader(Map<String, GgufValue> kv, long[] offsets) {
        GgufSink out = new GgufSink();
        out.bytes(new byte[] {'G', 'G', 'U', 'F'});
        out.u32(VERSION);
        out.u64(tensors.size());
        out.u64(kv.size());
        for (var e : kv.entrySet()) {
            out.string(e.getKey());
            out.u32(e.getValue().type().id());
            GgufValues.write(out, e.getValue());
        }
        for (int i = 0; i < offsets.length; i++) {
            PendingTensor t = tensors.get(i);
            out.string(t.name());
            out.u32(t.shape().length);
            for (long d : t.shape()) out.u64(d);
            out.u32(t.type().id());
            out.u64(offsets[i]);
        }
        return out;
    }

    private static void writeTensor(FileChannel ch, PendingTensor t, long at) throws IOException {
        // Shared, so that a filler may spread its work over threads.
        try (Arena arena = Arena.ofShared()) {
            MemorySegment dst = ch.map(FileChannel.MapMode.READ_WRITE, at, t.bytes(), arena);
            if (t.data() != null) {
                dst.copyFrom(t.data());
            } else {
                t.filler().fill(dst);
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) pos += ch.write(b, pos);
    }
}
