package dev.vlm4j.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {
    @Test
    void holdsBackAPossibleStopStringAndCutsItWhenComplete() {
        StopStrings s = new StopStrings(List.of("\n\nUSER:"));
        assertThat(s.append("Hello")).isEqualTo("Hello");
        assertThat(s.append(" world\n")).isEqualTo(" world");
        assertThat(s.append("\nUS")).isEmpty();
        assertThat(s.append("ER: more")).isEmpty();
        assertThat(s.stopped()).isTrue();
        assertThat(s.text()).isEqualTo("Hello world");
    }

    @Test
    void releasesHeldTextWhenItStopsMatching() {
        StopStrings s = new StopStrings(List.of("END"));
        assertThat(s.append("the E")).isEqualTo("the ");
        assertThat(s.append("N")).isEmpty();
        assertThat(s.append("D")).isEmpty();
        assertThat(s.stopped()).isTrue();
        StopStrings t = new StopStrings(List.of("END"));
        t.append("the EN");
        assertThat(t.append("vy")).isEqualTo("ENvy");
        assertThat(t.flush()).isEmpty();
        assertThat(t.stopped()).isFalse();
    }

    @Test
    void stopInsideOnePieceCutsThere() {
        StopStrings s = new StopStrings(List.of("cat", "dog"));
        assertThat(s.append("a big dog and a cat")).isEqualTo("a big ");
        assertThat(s.text()).isEqualTo("a big ");
    }

    @Test
    void flushReturnsHeldBackTextAtTheEnd() {
        StopStrings s = new StopStrings(List.of("###"));
        assertThat(s.append("x #")).isEqualTo("x ");
        assertThat(s.flush()).isEqualTo("#");
    }
}
