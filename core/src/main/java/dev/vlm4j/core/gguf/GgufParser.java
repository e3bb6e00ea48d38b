package dev.vlm4j.core.gguf;

import dev.vlm4j.core.ggml.GgmlType;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a GGUF header (versions 2 and 3, little-endian) from the bytes of a
 * whole file. Every fault becomes a {@link GgufFormatException} naming the byte offset of the
 * field at fault; nothing is allocated from a declared count before that count has been
 * checked against the bytes that remain.
 */
final class GgufParser {
    static final long DEFAULT_ALIGNMENT = 32;
    static final String ALIGNMENT_KEY = "general.alignment";
    static final int MAX_DIMS = 4;

    private static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    /** Smallest encodings: key length + key type + one value byte; name length + n_dims + ne[0] + type + offset. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 8 + 4 + 8;

    private final GgufCursor in;
    private long alignment = DEFAULT_ALIGNMENT;

    private GgufParser(Path path, MemorySegment file) {
        this.in = new GgufCursor(path, file);
    }

    /** Parses the header of {@code file}, the complete contents of {@code path}. */
    static GgufHeader parse(Path path, MemorySegment file) throws GgufFormatException {
        return new GgufParser(path, file).parse();
    }

    private GgufHeader parse() throws GgufFormatException {
        readMagic();
        int version = readVersion();
        int nTensors = in.count("tensor", MIN_TENSOR_INFO_BYTES);
        int nKv = in.count("metadata entry", MIN_KV_BYTES);
        Map<String, GgufValue> metadata = readMetadata(nKv);
        List<GgufTensorInfo> tensors = new ArrayList<>();
        long[] offsetFieldAt = new long[nTensors];
        readTensorInfos(nTensors, tensors, offsetFieldAt);
        long headerEnd = in.position();
        long dataOffset = alignUp(headerEnd, alignment);
        checkDataRanges(tensors, offsetFieldAt, dataOffset);
        return new GgufHeader(version, alignment, headerEnd, dataOffset,
                Collections.unmodifiableMap(metadata), Collections.unmodifiableList(tensors));
    }

    private void readMagic() throws GgufFormatException {
        if (in.size() < MAGIC.length) throw in.error(0, "not a GGUF file: only " + in.size() + " bytes");
        byte[] found = new byte[MAGIC.length];
        for (int i = 0; i < MAGIC.length; i++) found[i] = (byte) in.u8("magic");
        if (!Arrays.equals(found, MAGIC)) {
            throw in.error(0, "not a GGUF file: magic is " + hex(found) + ", expected 47 47 55 46 (\"GGUF\")");
        }
    }

    private int readVersion() throws GgufFormatException {
        long at = in.position();
        int v = in.i32("version");
        if (v == 2 || v == 3) return v;
        int swapped = Integer.reverseBytes(v);
        String hint = swapped == 2 || swapped == 3 ? " (a big-endian file? only little-endian is supported)" : "";
        throw in.error(at, "unsupported GGUF version " + Integer.toUnsignedString(v) + ", expected 2 or 3" + hint);
    }

    private Map<String, GgufValue> readMetadata(int nKv) throws GgufFormatException {
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        for (int i = 0; i < nKv; i++) {
            long keyAt = in.position();
            String key = in.string("key of metadata entry " + i);
            if (metadata.containsKey(key)) throw in.error(keyAt, "duplicate metadata key '" + key + "'");
            long typeAt = in.position();
            GgufValueType type = valueType(in.u32("value type of '" + key + "'"), typeAt, key);
            long valueAt = in.position();
            GgufValue value = GgufValues.read(in, type, key);
            if (key.equals(ALIGNMENT_KEY)) alignment = checkAlignment(type, value, typeAt, valueAt);
            metadata.put(key, value);
        }
        return metadata;
    }

    private GgufValueType valueType(long id, long at, String key) throws GgufFormatException {
        var type = GgufValueType.byId(id);
        if (type.isEmpty()) throw in.error(at, "unknown value type " + id + " for key '" + key + "'");
        return type.get();
    }

    private long checkAlignment(GgufValueType type, GgufValue value, long typeAt, long valueAt) throws GgufFormatException {
        if (type != GgufValueType.UINT32) {
            throw in.error(typeAt, ALIGNMENT_KEY + " must be uint32, found " + value.describeType());
        }
        long a = value.asLong();
        if (a == 0 || (a & (a - 1)) != 0) throw in.error(valueAt, ALIGNMENT_KEY + " is " + a + ", expected a power of two");
        return a;
    }

    private void readTensorInfos(int n, List<GgufTensorInfo> out, long[] offsetFieldAt) throws GgufFormatException {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            long nameAt = in.position();
            String name = in.string("name of tensor " + i);
            if (!names.add(name)) throw in.error(nameAt, "duplicate tensor name '" + name + "'");
            long[] shape = readShape(name);
            long firstDimAt = in.position() - 8L * shape.length;
            long typeAt = in.position();
            long typeId = in.u32("type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId)
                    .orElseThrow(() -> in.error(typeAt, "unknown ggml type " + typeId + " of tensor '" + name + "'"));
            if (!type.isRowAligned(shape[0])) {
                throw in.error(firstDimAt, "tensor '" + name + "': ne[0] = " + shape[0] + " is not a multiple of the "
                        + type.displayName() + " block size " + type.blockSize());
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(type.bytesFor(shape[0]), elementCount(shape) / shape[0]);
            } catch (ArithmeticException e) {
                throw in.error(firstDimAt, "byte size of tensor '" + name + "' overflows 64 bits");
            }
            offsetFieldAt[i] = in.position();
            long offset = in.u64("data offset of tensor '" + name + "'");
            if (offset < 0 || offset % alignment != 0) {
                throw in.error(offsetFieldAt[i], "tensor '" + name + "' has data offset " + Long.toUnsignedString(offset)
                        + ", expected a multiple of the alignment " + alignment);
            }
            out.add(new GgufTensorInfo(name, type, shape, offset, bytes));
        }
    }

    private long[] readShape(String name) throws GgufFormatException {
        long ndAt = in.position();
        long nd = in.u32("dimension count of tensor '" + name + "'");
        if (nd == 0 || nd > MAX_DIMS) {
            throw in.error(ndAt, "tensor '" + name + "' has " + nd + " dimensions, expected 1 to " + MAX_DIMS);
        }
        long[] shape = new long[(int) nd];
        long count = 1;
        for (int d = 0; d < nd; d++) {
            long at = in.position();
            shape[d] = in.u64("ne[" + d + "] of tensor '" + name + "'");
            if (shape[d] <= 0) {
                throw in.error(at, "tensor '" + name + "': ne[" + d + "] = " + Long.toUnsignedString(shape[d])
                        + ", expected 1 to 2^63-1");
            }
            try {
                count = Math.multiplyExact(count, shape[d]);
            } catch (ArithmeticException e) {
                throw in.error(at, "element count of tensor '" + name + "' overflows 64 bits");
            }
        }
        return shape;
    }

    /** Every tensor's data must lie inside the file and not overlap another's. */
    private void checkDataRanges(List<GgufTensorInfo> tensors, long[] offsetFieldAt, long dataOffset) throws GgufFormatException {
        long available = in.size() - dataOffset;
        for (int i = 0; i < tensors.size(); i++) {
            GgufTensorInfo t = tensors.get(i);
            if (available < 0 || t.offset() > available || t.bytes() > available - t.offset()) {
                throw in.error(offsetFieldAt[i], "data of tensor '" + t.name() + "' (" + t.bytes() + " bytes at data offset "
                        + t.offset() + ", data section at " + dataOffset + ") extends past the end of the file (" + in.size() + " bytes)");
            }
        }
        Integer[] order = new Integer[tensors.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingLong(i -> tensors.get(i).offset()));
        for (int k = 1; k < order.length; k++) {
            GgufTensorInfo prev = tensors.get(order[k - 1]);
            GgufTensorInfo next = tensors.get(order[k]);
            if (next.offset() < prev.offset() + prev.bytes()) {
                throw in.error(offsetFieldAt[order[k]], "data of tensor '" + next.name() + "' at [" + next.offset() + ", "
                        + (next.offset() + next.bytes()) + ") overlaps tensor '" + prev.name() + "' at [" + prev.offset() + ", "
                        + (prev.offset() + prev.bytes()) + ")");
            }
        }
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) & -alignment;
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(s.isEmpty() ? "" : " ").append(String.format("%02x", x));
        return s.toString();
    }
}
