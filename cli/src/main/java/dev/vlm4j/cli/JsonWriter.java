package dev.vlm4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small streaming JSON writer: RFC 8259 string escaping, unsigned 64-bit integers, and
 * non-finite floats written as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}
 * (JSON has no such numbers). Containers up to {@code indentDepth} deep put each element on its
 * own line; deeper ones (long arrays) stay on one line.
 */
final class JsonWriter {
    private final Appendable out;
    private final int indentDepth;
    /** One entry per open container: true until its first element is written. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter(Appendable out, int indentDepth) {
        this.out = out;
        this.indentDepth = indentDepth;
    }

    JsonWriter beginObject() { return begin('{'); }
    JsonWriter endObject() { return end('}'); }
    JsonWriter beginArray() { return begin('['); }
    JsonWriter endArray() { return end(']'); }

    JsonWriter name(String name) {
        separate();
        append(quote(name)).append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String s) { return raw(s == null ? "null" : quote(s)); }
    JsonWriter value(long v) { return raw(Long.toString(v)); }
    JsonWriter valueUnsigned(long v) { return raw(Long.toUnsignedString(v)); }
    JsonWriter value(boolean v) { return raw(Boolean.toString(v)); }

    JsonWriter value(double v) {
        if (Double.isNaN(v)) return raw("\"NaN\"");
        if (Double.isInfinite(v)) return raw(v > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        return raw(Double.toString(v));
    }

    /** A float32 in its shortest decimal form (so 1e-5f prints as 1.0E-5, not 9.999999747378752E-6). */
    JsonWriter value(float v) {
        if (!Float.isFinite(v)) return value((double) v);
        return raw(Float.toString(v));
    }

    JsonWriter nullValue() { return raw("null"); }

    private JsonWriter raw(String text) {
        separate();
        append(text);
        return this;
    }

    private JsonWriter begin(char c) {
        separate();
        append(String.valueOf(c));
        open.push(new boolean[] {true});
        return this;
    }

    private JsonWriter end(char c) {
        boolean empty = open.pop()[0];
        if (!empty && open.size() < indentDepth) newline(open.size());
        append(String.valueOf(c));
        if (open.isEmpty()) append("\n");
        return this;
    }

    /** Writes the comma and line break before a new element, unless it is a name's value. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (open.isEmpty()) return;
        boolean[] first = open.peek();
        boolean wasFirst = first[0];
        first[0] = false;
        if (!wasFirst) append(",");
        if (open.size() <= indentDepth) newline(open.size());
        else if (!wasFirst) append(" ");
    }

    private void newline(int depth) {
        append("\n").append("  ".repeat(depth));
    }

    private JsonWriter append(String s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** {@code s} as a JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    // Control characters, and lone surrogates (invalid in UTF-8 output), as \\u escapes.
                    boolean loneSurrogate = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0
                            && Character.isHighSurrogate(s.charAt(i - 1)));
                    if (c < 0x20 || c == 0x7f || loneSurrogate) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
