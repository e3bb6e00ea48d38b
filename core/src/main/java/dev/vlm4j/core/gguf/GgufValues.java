package dev.vlm4j.core.gguf;

import static dev.vlm4j.core.gguf.GgufValueType.STRING;

/**
 * The encoding of metadata values, both ways: {@link #read} decodes one value from a header
 * into the Java representation {@link GgufValue} documents, {@link #check} verifies that a
 * value handed to the writer has exactly that representation (so that it survives a round
 * trip), and {@link #write} encodes it.
 */
final class GgufValues {
    private GgufValues() {}

    /** Reads a value of {@code type} (which is already known to exist) for {@code key}. */
    static GgufValue read(GgufCursor in, GgufValueType type, String key) throws GgufFormatException {
        return switch (type) {
            case ARRAY -> readArray(in, key);
            case STRING -> GgufValue.string(in.string("string value of '" + key + "'"));
            default -> GgufValue.of(type, readScalar(in, type, "value of '" + key + "'"));
        };
    }

    private static Object readScalar(GgufCursor in, GgufValueType type, String what) throws GgufFormatException {
        return switch (type) {
            case UINT8 -> Integer.valueOf(in.u8(what));
            case INT8 -> Integer.valueOf((byte) in.u8(what));
            case UINT16 -> Integer.valueOf(Short.toUnsignedInt(in.i16(what)));
            case INT16 -> Integer.valueOf(in.i16(what));
            case INT32 -> Integer.valueOf(in.i32(what));
            case UINT32 -> Long.valueOf(in.u32(what));
            case UINT64, INT64 -> Long.valueOf(in.u64(what));
            case FLOAT32 -> Float.valueOf(in.f32(what));
            case FLOAT64 -> Double.valueOf(in.f64(what));
            case BOOL -> Boolean.valueOf(readBool(in, what));
            case STRING, ARRAY -> throw new IllegalArgumentException("not a scalar type: " + type);
        };
    }

    private static boolean readBool(GgufCursor in, String what) throws GgufFormatException {
        long at = in.position();
        int b = in.u8(what);
        if (b > 1) throw in.error(at, what + " is a bool of value " + b + ", expected 0 or 1");
        return b == 1;
    }

    private static GgufValue readArray(GgufCursor in, String key) throws GgufFormatException {
        long typeAt = in.position();
        long id = in.u32("element type of array '" + key + "'");
        GgufValueType type = GgufValueType.byId(id)
                .orElseThrow(() -> in.error(typeAt, "unknown element type " + id + " of array '" + key + "'"));
        if (type == GgufValueType.ARRAY) throw in.error(typeAt, "array '" + key + "' nests arrays, which GGUF does not allow");
        int n = in.count("array '" + key + "'", type == STRING ? 8 : type.size());
        int i = 0;
        try {
            // Element reads use constant descriptions (tokenizer arrays hold ~10^5 strings);
            // the catch below adds the key and index to a failure.
            switch (type) {
                case FLOAT32 -> { return GgufValue.array(type, in.f32s(n)); }
                case FLOAT64 -> { return GgufValue.array(type, in.f64s(n)); }
                case STRING -> {
                    String[] a = new String[n];
                    for (; i < n; i++) a[i] = in.string("string");
                    return GgufValue.array(type, a);
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (; i < n; i++) a[i] = readBool(in, "element");
                    return GgufValue.array(type, a);
                }
                default -> {
                    long[] a = new long[n];
                    for (; i < n; i++) a[i] = ((Number) readScalar(in, type, "element")).longValue();
                    return GgufValue.array(type, a);
                }
            }
        } catch (GgufFormatException e) {
            throw in.error(e.offset(), e.detail() + " (element " + i + " of array '" + key + "')");
        }
    }

    /** Throws {@link IllegalArgumentException} unless {@code v}'s payload is what its type promises. */
    static void check(String key, GgufValue v) {
        if (v.type() == GgufValueType.ARRAY) {
            checkArray(key, v.elementType(), v.value());
        } else if (!fits(v.type(), v.value())) {
            throw new IllegalArgumentException("metadata '" + key + "': " + describe(v.value()) + " is not a valid "
                    + v.describeType() + " payload (" + expectedPayload(v.type()) + ")");
        }
        if (v.value() instanceof String s) checkUtf16(s, "metadata '" + key + "' value");
        if (v.value() instanceof String[] a) {
            for (String s : a) checkUtf16(s, "metadata '" + key + "' element");
        }
    }

    /** Throws {@link IllegalArgumentException} when {@code s} has a lone surrogate, which UTF-8 cannot encode. */
    static void checkUtf16(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " '" + s + "' has a lone surrogate at index " + i + ", which UTF-8 cannot encode");
            }
        }
    }

    private static void checkArray(String key, GgufValueType et, Object payload) {
        boolean ok = switch (et) {
            case FLOAT32 -> payload instanceof float[];
            case FLOAT64 -> payload instanceof double[];
            case BOOL -> payload instanceof boolean[];
            case STRING -> payload instanceof String[] a && java.util.Arrays.stream(a).allMatch(s -> s != null);
            default -> payload instanceof long[] a && java.util.Arrays.stream(a).allMatch(x -> inRange(et, x));
        };
        if (!ok) {
            throw new IllegalArgumentException("metadata '" + key + "': " + describe(payload) + " is not a valid array["
                    + et.name().toLowerCase() + "] payload (" + expectedArray(et) + ")");
        }
    }

    private static boolean fits(GgufValueType t, Object v) {
        return switch (t) {
            case UINT8, INT8, UINT16, INT16, INT32 -> v instanceof Integer i && inRange(t, i);
            case UINT32, UINT64, INT64 -> v instanceof Long l && inRange(t, l);
            case FLOAT32 -> v instanceof Float;
            case FLOAT64 -> v instanceof Double;
            case BOOL -> v instanceof Boolean;
            case STRING -> v instanceof String;
            case ARRAY -> false;
        };
    }

    private static boolean inRange(GgufValueType t, long x) {
        return switch (t) {
            case UINT8 -> x >= 0 && x <= 0xFF;
            case INT8 -> x >= Byte.MIN_VALUE && x <= Byte.MAX_VALUE;
            case UINT16 -> x >= 0 && x <= 0xFFFF;
            case INT16 -> x >= Short.MIN_VALUE && x <= Short.MAX_VALUE;
            case INT32 -> x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE;
            case UINT32 -> x >= 0 && x <= 0xFFFF_FFFFL;
            case UINT64, INT64 -> true;
            default -> false;
        };
    }

    private static String expectedPayload(GgufValueType t) {
        return switch (t) {
            case UINT8, INT8, UINT16, INT16, INT32 -> "an Integer in the type's range";
            case UINT32 -> "a Long in 0..2^32-1";
            case UINT64 -> "a Long holding the raw 64 bits";
            case INT64 -> "a Long";
            case FLOAT32 -> "a Float";
            case FLOAT64 -> "a Double";
            case BOOL -> "a Boolean";
            case STRING -> "a String";
            case ARRAY -> "an array";
        };
    }

    private static String expectedArray(GgufValueType et) {
        return switch (et) {
            case FLOAT32 -> "float[]";
            case FLOAT64 -> "double[]";
            case BOOL -> "boolean[]";
            case STRING -> "String[] without nulls";
            default -> "long[] with every element in the type's range";
        };
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    /** Encodes {@code v} (already {@link #check checked}); strings must be valid UTF-16. */
    static void write(GgufSink out, GgufValue v) {
        if (v.type() != GgufValueType.ARRAY) {
            writeScalar(out, v.type(), v.value());
            return;
        }
        GgufValueType et = v.elementType();
        out.u32(et.id());
        out.u64(v.length());
        switch (v.value()) {
            case float[] a -> { for (float x : a) out.f32(x); }
            case double[] a -> { for (double x : a) out.f64(x); }
            case boolean[] a -> { for (boolean x : a) out.u8(x ? 1 : 0); }
            case String[] a -> { for (String s : a) out.string(s); }
            case long[] a -> { for (long x : a) writeInteger(out, et, x); }
            default -> throw new IllegalArgumentException("bad array payload " + v.value().getClass());
        }
    }

    private static void writeScalar(GgufSink out, GgufValueType t, Object v) {
        switch (t) {
            case FLOAT32 -> out.f32((Float) v);
            case FLOAT64 -> out.f64((Double) v);
            case BOOL -> out.u8((Boolean) v ? 1 : 0);
            case STRING -> out.string((String) v);
            default -> writeInteger(out, t, ((Number) v).longValue());
        }
    }

    private static void writeInteger(GgufSink out, GgufValueType t, long x) {
        switch (t.size()) {
            case 1 -> out.u8((int) x);
            case 2 -> out.u16((int) x);
            case 4 -> out.u32(x);
            default -> out.u64(x);
        }
    }
}
