package dev.vlm4j.cli;

import dev.vlm4j.core.gguf.GgufValue;
import dev.vlm4j.core.gguf.GgufValueType;
import java.util.ArrayList;
import java.util.List;

/** Renders GGUF metadata values as JSON (complete) and as one line of text (long arrays and strings abbreviated). */
final class MetadataFormat {
    /** Array elements shown in text before "... (N total)". */
    static final int TEXT_ELEMENTS = 8;
    /** String characters shown in text before "... (N chars)". */
    static final int TEXT_CHARS = 100;

    private MetadataFormat() {}

    static void writeJson(JsonWriter w, GgufValue v) {
        if (!v.isArray()) {
            scalarJson(w, v.type(), v.value());
            return;
        }
        w.beginArray();
        switch (v.value()) {
            case long[] a -> {
                for (long x : a) {
                    if (v.elementType() == GgufValueType.UINT64) w.valueUnsigned(x);
                    else w.value(x);
                }
            }
            case float[] a -> { for (float x : a) w.value(x); }
            case double[] a -> { for (double x : a) w.value(x); }
            case boolean[] a -> { for (boolean x : a) w.value(x); }
            case String[] a -> { for (String x : a) w.value(x); }
            default -> throw new IllegalStateException("unexpected array payload " + v.value().getClass());
        }
        w.endArray();
    }

    private static void scalarJson(JsonWriter w, GgufValueType type, Object value) {
        switch (type) {
            case FLOAT32 -> w.value((float) (Float) value);
            case FLOAT64 -> w.value((double) (Double) value);
            case BOOL -> w.value((boolean) (Boolean) value);
            case STRING -> w.value((String) value);
            case UINT64 -> w.valueUnsigned(((Number) value).longValue());
            default -> w.value(((Number) value).longValue());
        }
    }

    /** One line: scalars in full (long strings cut), arrays as their first elements and the total. */
    static String text(GgufValue v) {
        if (!v.isArray()) return scalarText(v.type(), v.value());
        List<String> shown = new ArrayList<>();
        int n = v.length();
        int show = Math.min(n, TEXT_ELEMENTS);
        for (int i = 0; i < show; i++) {
            shown.add(switch (v.value()) {
                case long[] a -> v.elementType() == GgufValueType.UINT64 ? Long.toUnsignedString(a[i]) : Long.toString(a[i]);
                case float[] a -> Float.toString(a[i]);
                case double[] a -> Double.toString(a[i]);
                case boolean[] a -> Boolean.toString(a[i]);
                case String[] a -> stringText(a[i]);
                default -> throw new IllegalStateException("unexpected array payload " + v.value().getClass());
            });
        }
        String body = String.join(", ", shown);
        return "[" + body + (n > show ? ", ... (" + n + " total)" : "") + "]";
    }

    private static String scalarText(GgufValueType type, Object value) {
        return switch (type) {
            case STRING -> stringText((String) value);
            case UINT64 -> Long.toUnsignedString(((Number) value).longValue());
            default -> String.valueOf(value);
        };
    }

    private static String stringText(String s) {
        if (s.length() <= TEXT_CHARS) return JsonWriter.quote(s);
        return JsonWriter.quote(s.substring(0, TEXT_CHARS)) + "... (" + s.length() + " chars)";
    }

    /** {@code u32}, {@code str}, {@code arr[f32]}: llama.cpp's gguf-dump style. */
    static String typeName(GgufValue v) {
        return v.isArray() ? "arr[" + shortName(v.elementType()) + "]" : shortName(v.type());
    }

    private static String shortName(GgufValueType t) {
        return switch (t) {
            case UINT8 -> "u8";
            case INT8 -> "i8";
            case UINT16 -> "u16";
            case INT16 -> "i16";
            case UINT32 -> "u32";
            case INT32 -> "i32";
            case UINT64 -> "u64";
            case INT64 -> "i64";
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case BOOL -> "bool";
            case STRING -> "str";
            case ARRAY -> "arr";
        };
    }
}
