package dev.vlm4j.core.gguf;

import dev.vlm4j.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF file (versions 2 and 3): header, metadata and tensor infos parsed with bounds checks,
 * data section memory-mapped into an arena this object owns. {@link #close()} unmaps; any use
 * after close throws {@link IllegalStateException}. API stub: the implementation lands with the
 * GGUF reader work.
 */
public final class GgufFile implements AutoCloseable {
    private GgufFile() {}

    /** Opens and validates {@code path}; malformed content throws {@link GgufFormatException}. */
    public static GgufFile open(Path path) throws IOException {
        throw new UnsupportedOperationException("GGUF reader not implemented yet");
    }

    public Path path() { throw new UnsupportedOperationException(); }
    public int version() { throw new UnsupportedOperationException(); }
    public long alignment() { throw new UnsupportedOperationException(); }
    /** Absolute file offset of the data section. */
    public long dataOffset() { throw new UnsupportedOperationException(); }
    /** All metadata in file order. */
    public Map<String, GgufValue> metadata() { throw new UnsupportedOperationException(); }
    public Optional<GgufValue> get(String key) { throw new UnsupportedOperationException(); }
    public boolean has(String key) { throw new UnsupportedOperationException(); }
    /** Tensor infos in file order. */
    public List<GgufTensorInfo> tensorInfos() { throw new UnsupportedOperationException(); }
    public Optional<GgufTensorInfo> tensorInfo(String name) { throw new UnsupportedOperationException(); }
    public boolean hasTensor(String name) { throw new UnsupportedOperationException(); }
    /** Zero-copy view of a tensor's data; a missing name throws {@link IllegalArgumentException} naming the file. */
    public Tensor tensor(String name) { throw new UnsupportedOperationException(); }
    public Optional<Tensor> optTensor(String name) { throw new UnsupportedOperationException(); }

    // Typed accessors: a missing key or a type mismatch throws IllegalArgumentException naming the file, key, expected and actual type.
    public String requireString(String key) { throw new UnsupportedOperationException(); }
    public int requireInt(String key) { throw new UnsupportedOperationException(); }
    public long requireLong(String key) { throw new UnsupportedOperationException(); }
    public float requireFloat(String key) { throw new UnsupportedOperationException(); }
    public boolean requireBool(String key) { throw new UnsupportedOperationException(); }
    public String[] requireStringArray(String key) { throw new UnsupportedOperationException(); }
    public int[] requireIntArray(String key) { throw new UnsupportedOperationException(); }
    public float[] requireFloatArray(String key) { throw new UnsupportedOperationException(); }
    public Optional<String> optString(String key) { throw new UnsupportedOperationException(); }
    public Optional<Integer> optInt(String key) { throw new UnsupportedOperationException(); }
    public Optional<Float> optFloat(String key) { throw new UnsupportedOperationException(); }
    public Optional<Boolean> optBool(String key) { throw new UnsupportedOperationException(); }

    @Override
    public void close() {}
}
