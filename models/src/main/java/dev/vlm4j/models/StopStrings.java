package dev.vlm4j.models;

import java.util.List;

/**
 * Output text as it streams, with user stop strings: text that could still turn out to be the
 * start of a stop string is held back, so a listener never sees any part of a stop string.
 */
final class StopStrings {
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int emitted;
    private boolean stopped;

    StopStrings(List<String> stops) {
        this.stops = stops.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Adds a decoded piece; returns the text that is now safe to emit (possibly empty). */
    String append(String piece) {
        text.append(piece);
        int cut = -1;   // the earliest complete stop string wins
        for (String s : stops) {
            int at = text.indexOf(s, Math.max(0, emitted - s.length() + 1));
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0) {
            text.setLength(cut);
            stopped = true;
            return flush();
        }
        int hold = 0;
        for (String s : stops) hold = Math.max(hold, partialSuffix(s));
        int safe = Math.max(emitted, text.length() - hold);
        String out = text.substring(emitted, safe);
        emitted = safe;
        return out;
    }

    /** Everything not yet emitted (call when generation ends). */
    String flush() {
        String out = text.substring(Math.min(emitted, text.length()));
        emitted = text.length();
        return out;
    }

    boolean stopped() {
        return stopped;
    }

    /** The output so far, without any stop string. */
    String text() {
        return text.toString();
    }

    /** Length of the longest suffix of the text that is a proper prefix of {@code stop}. */
    private int partialSuffix(String stop) {
        for (int k = Math.min(stop.length() - 1, text.length()); k > 0; k--) {
            if (stop.startsWith(text.substring(text.length() - k))) return k;
        }
        return 0;
    }
}
