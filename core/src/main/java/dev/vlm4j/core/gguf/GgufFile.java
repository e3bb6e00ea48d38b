package dev.vlm4j.core.gguf;

import dev.vlm4j.core.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A GGUF file (versions 2 and 3): header, metadata and tensor infos parsed with bounds checks,
 * the whole file memory-mapped read-only into a shared arena this object owns. Tensors are
 * zero-copy views of that mapping. {@link #close()} unmaps; any use after close, through this
 * object or through a tensor obtained from it, throws {@link IllegalStateException}.
 *
 * <p>Thread-safe: all state is immutable after {@link #open}, and the arena is shared.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment file;
    private final GgufHeader header;
    private final Map<String, GgufTensorInfo> tensorsByName;

    private GgufFile(Path path, Arena arena, MemorySegment file, GgufHeader header) {
        this.path = path;
        this.arena = arena;
        this.file = file;
        this.header = header;
        Map<String, GgufTensorInfo> byName = new HashMap<>();
        for (GgufTensorInfo t : header.tensors()) byName.put(t.name(), t);
        this.tensorsByName = Collections.unmodifiableMap(byName);
    }

    /**
     * Maps and validates {@code path}. Malformed content throws {@link GgufFormatException}
     * (with the byte offset of the fault); I/O failures throw other {@link IOException}s.
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new GgufFile(path, arena, file, GgufParser.parse(path, file));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private void ensureOpen() {
        if (!arena.scope().isAlive()) throw new IllegalStateException(path + " is closed");
    }

    public Path path() { return path; }

    /** GGUF version: 2 or 3. */
    public int version() { ensureOpen(); return header.version(); }

    /** Data alignment in bytes ({@code general.alignment}, 32 when absent). */
    public long alignment() { ensureOpen(); return header.alignment(); }

    /** Absolute file offset of the data section. */
    public long dataOffset() { ensureOpen(); return header.dataOffset(); }

    /** Size of the file in bytes. */
    public long fileSize() { ensureOpen(); return file.byteSize(); }

    /** All metadata in file order (unmodifiable). */
    public Map<String, GgufValue> metadata() { ensureOpen(); return header.metadata(); }

    public Optional<GgufValue> get(String key) { return Optional.ofNullable(metadata().get(key)); }

    public boolean has(String key) { return metadata().containsKey(key); }

    /** Tensor infos in file order (unmodifiable). */
    public List<GgufTensorInfo> tensorInfos() { ensureOpen(); return header.tensors(); }

    public Optional<GgufTensorInfo> tensorInfo(String name) { ensureOpen(); return Optional.ofNullable(tensorsByName.get(name)); }

    public boolean hasTensor(String name) { return tensorInfo(name).isPresent(); }

    /** Zero-copy, read-only view of a tensor's data; a missing name throws {@link IllegalArgumentException} naming the file. */
    public Tensor tensor(String name) {
        return optTensor(name).orElseThrow(() -> new IllegalArgumentException(path + ": no tensor named '" + name + "'"));
    }

    /** Zero-copy, read-only view of a tensor's data, or empty when the file has no such tensor. */
    public Optional<Tensor> optTensor(String name) {
        return tensorInfo(name).map(t -> Tensor.of(t.name(), t.type(),
                file.asSlice(header.dataOffset() + t.offset(), t.bytes()), t.shape()));
    }

    // Typed accessors: a missing key or a type mismatch throws IllegalArgumentException naming
    // the file, the key, the expected and the actual type.

    public String requireString(String key) { return require(key, "string", GgufValue::asString); }

    /** An integer value of any integer type that fits an int. */
    public int requireInt(String key) { return require(key, "int", GgufValue::asInt); }

    /** An integer value of any integer type; a uint64 of 2^63 or more is rejected. */
    public long requireLong(String key) { return require(key, "long", GgufFile::asLong); }

    /** A float32 or float64 value, or an integer converted to float. */
    public float requireFloat(String key) { return require(key, "float", GgufValue::asFloat); }

    public boolean requireBool(String key) { return require(key, "bool", GgufValue::asBool); }

    public String[] requireStringArray(String key) { return require(key, "array[string]", v -> v.asStringArray().clone()); }

    /** An array of any integer element type whose elements all fit an int. */
    public int[] requireIntArray(String key) { return require(key, "int array", GgufValue::asIntArray); }

    /** An array of float32, float64 or integer elements, as floats. */
    public float[] requireFloatArray(String key) { return require(key, "float array", v -> v.asFloatArray().clone()); }

    public Optional<String> optString(String key) { return opt(key, "string", GgufValue::asString); }

    public Optional<Integer> optInt(String key) { return opt(key, "int", GgufValue::asInt); }

    public Optional<Long> optLong(String key) { return opt(key, "long", GgufFile::asLong); }

    public Optional<Float> optFloat(String key) { return opt(key, "float", GgufValue::asFloat); }

    public Optional<Boolean> optBool(String key) { return opt(key, "bool", GgufValue::asBool); }

    public Optional<String[]> optStringArray(String key) { return opt(key, "array[string]", v -> v.asStringArray().clone()); }

    public Optional<int[]> optIntArray(String key) { return opt(key, "int array", GgufValue::asIntArray); }

    public Optional<float[]> optFloatArray(String key) { return opt(key, "float array", v -> v.asFloatArray().clone()); }

    private static long asLong(GgufValue v) {
        long x = v.asLong();
        if (v.type() == GgufValueType.UINT64 && x < 0) {
            throw new IllegalStateException("value " + Long.toUnsignedString(x) + " does not fit a long");
        }
        return x;
    }

    private <T> T require(String key, String expected, Function<GgufValue, T> convert) {
        GgufValue v = metadata().get(key);
        if (v == null) throw new IllegalArgumentException(path + ": metadata key '" + key + "' (" + expected + ") is missing");
        return convert(key, expected, v, convert);
    }

    private <T> Optional<T> opt(String key, String expected, Function<GgufValue, T> convert) {
        GgufValue v = metadata().get(key);
        return v == null ? Optional.empty() : Optional.of(convert(key, expected, v, convert));
    }

    private <T> T convert(String key, String expected, GgufValue v, Function<GgufValue, T> convert) {
        try {
            return convert.apply(v);
        } catch (IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException(path + ": metadata key '" + key + "': expected " + expected + ", found "
                    + v.describeType() + " (" + e.getMessage() + ")", e);
        }
    }

    /** Unmaps the file; idempotent. Tensors obtained from this file become unusable. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) arena.close();
    }

    @Override
    public String toString() {
        return "GgufFile[" + path + (arena.scope().isAlive()
                ? ", v" + header.version() + ", " + header.metadata().size() + " keys, " + header.tensors().size() + " tensors]"
                : ", closed]");
    }
}
