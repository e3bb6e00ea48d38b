package dev.vlm4j.core.gguf;

import java.util.Arrays;

/**
 * One metadata value. Java representation by type: UINT8, INT8, UINT16, INT16, INT32 as
 * {@link Integer}; UINT32, INT64 and UINT64 (raw bits) as {@link Long}; FLOAT32 as {@link Float};
 * FLOAT64 as {@link Double}; BOOL as {@link Boolean}; STRING as {@link String}. Arrays
 * ({@code type == ARRAY}) carry their {@code elementType} and hold {@code long[]} (integer
 * elements), {@code float[]}, {@code double[]}, {@code boolean[]} or {@code String[]}.
 * Accessors convert where no information is lost and otherwise throw
 * {@link IllegalStateException} naming the expected and actual types.
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        if (type == GgufValueType.ARRAY && (elementType == null || elementType == GgufValueType.ARRAY)) {
            throw new IllegalArgumentException("array needs a non-array element type");
        }
    }

    public static GgufValue of(GgufValueType type, Object value) { return new GgufValue(type, null, value); }
    public static GgufValue string(String s) { return of(GgufValueType.STRING, s); }
    public static GgufValue u32(long v) { return of(GgufValueType.UINT32, v); }
    public static GgufValue i32(int v) { return of(GgufValueType.INT32, v); }
    public static GgufValue f32(float v) { return of(GgufValueType.FLOAT32, v); }
    public static GgufValue bool(boolean v) { return of(GgufValueType.BOOL, v); }
    public static GgufValue array(GgufValueType elementType, Object array) { return new GgufValue(GgufValueType.ARRAY, elementType, array); }
    public static GgufValue strings(String... v) { return array(GgufValueType.STRING, v); }
    public static GgufValue f32s(float... v) { return array(GgufValueType.FLOAT32, v); }
    public static GgufValue i32s(long... v) { return array(GgufValueType.INT32, v); }

    public boolean isArray() { return type == GgufValueType.ARRAY; }

    /** Number of elements of an array value (1 for scalars). */
    public int length() {
        if (!isArray()) return 1;
        return switch (value) {
            case long[] a -> a.length;
            case float[] a -> a.length;
            case double[] a -> a.length;
            case boolean[] a -> a.length;
            case String[] a -> a.length;
            default -> throw new IllegalStateException("bad array payload " + value.getClass());
        };
    }

    private IllegalStateException mismatch(String expected) {
        return new IllegalStateException("expected " + expected + " but value is " + describeType());
    }

    /** {@code uint32}, {@code string}, {@code array[float32]}... */
    public String describeType() {
        return isArray() ? "array[" + elementType.name().toLowerCase() + "]" : type.name().toLowerCase();
    }

    public long asLong() {
        if (!type.isInteger()) throw mismatch("an integer");
        return ((Number) value).longValue();
    }

    public int asInt() {
        long v = asLong();
        if (type == GgufValueType.UINT64 && v < 0 || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalStateException("value " + (type == GgufValueType.UINT64 ? Long.toUnsignedString(v) : v) + " does not fit an int");
        }
        return (int) v;
    }

    public float asFloat() {
        return switch (type) {
            case FLOAT32 -> (Float) value;
            case FLOAT64 -> ((Double) value).floatValue();
            default -> {
                if (type.isInteger()) yield (float) asLong();
                throw mismatch("a number");
            }
        };
    }

    public double asDouble() {
        return type == GgufValueType.FLOAT64 ? (Double) value : asFloat();
    }

    public boolean asBool() {
        if (type != GgufValueType.BOOL) throw mismatch("bool");
        return (Boolean) value;
    }

    public String asString() {
        if (type != GgufValueType.STRING) throw mismatch("string");
        return (String) value;
    }

    public String[] asStringArray() {
        if (!isArray() || elementType != GgufValueType.STRING) throw mismatch("array[string]");
        return (String[]) value;
    }

    public long[] asLongArray() {
        if (!isArray() || !elementType.isInteger()) throw mismatch("an integer array");
        return (long[]) value;
    }

    public int[] asIntArray() {
        long[] a = asLongArray();
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            if (a[i] < Integer.MIN_VALUE || a[i] > Integer.MAX_VALUE) throw new IllegalStateException("element " + i + " = " + a[i] + " does not fit an int");
            out[i] = (int) a[i];
        }
        return out;
    }

    public float[] asFloatArray() {
        if (isArray() && elementType == GgufValueType.FLOAT32) return (float[]) value;
        if (isArray() && elementType == GgufValueType.FLOAT64) {
            double[] d = (double[]) value;
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
            return out;
        }
        if (isArray() && elementType.isInteger()) {
            long[] l = (long[]) value;
            float[] out = new float[l.length];
            for (int i = 0; i < l.length; i++) out[i] = l[i];
            return out;
        }
        throw mismatch("a float array");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufValue v && v.type == type && v.elementType == elementType
                && Arrays.deepEquals(new Object[] {value}, new Object[] {v.value});
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {type, elementType, value});
    }

    @Override
    public String toString() {
        if (!isArray()) return type == GgufValueType.UINT64 ? Long.toUnsignedString((Long) value) : String.valueOf(value);
        return switch (value) {
            case long[] a -> Arrays.toString(a);
            case float[] a -> Arrays.toString(a);
            case double[] a -> Arrays.toString(a);
            case boolean[] a -> Arrays.toString(a);
            case String[] a -> Arrays.toString(a);
            default -> String.valueOf(value);
        };
    }
}
