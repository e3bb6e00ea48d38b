package dev.vlm4j.cli;

/** Shell-friendly escapes in prompts: {@code \n}, {@code \t}, {@code \r}, {@code \\} and {@code \"}. */
final class Escapes {
    private Escapes() {}

    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case '\\' -> b.append('\\');
                case '"' -> b.append('"');
                default -> b.append('\\').append(n);
            }
        }
        return b.toString();
    }
}
