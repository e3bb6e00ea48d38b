package dev.vlm4j.core.tokenizer;

import java.util.Arrays;

/**
 * llama.cpp's detokenizer clean-up (HF {@code clean_up_tokenization_spaces}), applied to UTF-8 bytes; it
 * only touches ASCII bytes, so multi-byte characters pass through intact.
 */
final class SpaceCleaner {
    private SpaceCleaner() {}

    static byte[] clean(byte[] in) {
        byte[] t = in.clone();
        int total = t.length;

        // 1: " ?", " !", " .", " ," lose the space
        int n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && (x == '?' || x == '!' || x == '.' || x == ',')) total--;
            t[total++] = x;
        }

        // 2: " ' " becomes "'"
        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (x == '\'' && i + 1 < n && t[i - 1] == ' ' && t[i + 1] == ' ') {
                total--;
                t[++i] = 0; // the next space is skipped (the loop moves past it)
            }
            t[total++] = x;
        }

        // 3: " 's", " 'm", " 're", " 've" lose the space (" 't", " 'd", " 'll" keep it)
        n = total;
        total = n > 0 ? 1 : 0;
        for (int i = 1; i < n; i++) {
            byte x = t[i];
            if (t[i - 1] == ' ' && x == '\'' && i + 1 < n) {
                byte x1 = t[i + 1];
                if (x1 == 's' || x1 == 'm') {
                    total--;
                } else if (i + 2 < n && (x1 == 'r' || x1 == 'v') && t[i + 2] == 'e') {
                    total--;
                }
            }
            t[total++] = x;
        }
        return Arrays.copyOf(t, total);
    }
}
