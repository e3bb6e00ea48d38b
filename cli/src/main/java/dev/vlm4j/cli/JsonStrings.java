package dev.vlm4j.cli;

/** Parses one JSON string literal (RFC 8259), e.g. a line of a {@code --jsonl} file. */
final class JsonStrings {
    private JsonStrings() {}

    static String parse(String s) {
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            throw new IllegalArgumentException("expected a JSON string in double quotes");
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '"') throw new IllegalArgumentException("unescaped quote at column " + (i + 1));
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i >= s.length() - 1) throw new IllegalArgumentException("dangling backslash at column " + i);
            char e = s.charAt(i);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 >= s.length()) throw new IllegalArgumentException("short \\u escape at column " + i);
                    try {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("bad \\u escape at column " + i);
                    }
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e + " at column " + i);
            }
        }
        return b.toString();
    }
}
