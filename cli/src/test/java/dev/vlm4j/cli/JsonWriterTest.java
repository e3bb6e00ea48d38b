package dev.vlm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class JsonWriterTest {

    @Test
    void escapesStringsAndRoundTrips() {
        String nasty = "quote \" backslash \\ newline \n tab \t nul \0 bell \u0007 del \u007f unicode \u2581é 😀";
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb, 1).beginObject().name("k\"ey").value(nasty).endObject();
        assertThat(sb.toString()).doesNotContain("\n tab").contains("\\u0000").contains("\\u0007").contains("\\\"");
        Map<String, Object> m = (Map<String, Object>) Json.parse(sb.toString());
        assertThat(m.get("k\"ey")).isEqualTo(nasty);
    }

    @Test
    void loneSurrogatesAreEscaped() {
        String lone = "a\ud800b";
        assertThat(JsonWriter.quote(lone)).isEqualTo("\"a\\ud800b\"");
        assertThat(Json.parse(JsonWriter.quote(lone))).isEqualTo(lone);
    }

    @Test
    void numbersUnsignedAndNonFinite() {
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb, 1).beginArray()
                .valueUnsigned(-1L).value(Long.MIN_VALUE).value(1e-5f).value(Float.NaN).value(Double.POSITIVE_INFINITY)
                .value(Float.NEGATIVE_INFINITY).value(true).nullValue().endArray();
        List<Object> a = (List<Object>) Json.parse(sb.toString());
        assertThat(a.get(0)).isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(a.get(1)).isEqualTo(new BigDecimal(Long.MIN_VALUE));
        assertThat(((BigDecimal) a.get(2)).floatValue()).isEqualTo(1e-5f);
        assertThat(a.subList(3, 6)).containsExactly("NaN", "Infinity", "-Infinity");
        assertThat(a.get(6)).isEqualTo(Boolean.TRUE);
        assertThat(a.get(7)).isNull();
    }

    @Test
    void emptyAndNestedContainers() {
        StringBuilder sb = new StringBuilder();
        new JsonWriter(sb, 2).beginObject().name("a").beginArray().endArray().name("b").beginObject().endObject()
                .name("c").beginArray().beginArray().value(1).value(2).endArray().endArray().endObject();
        assertThat(Json.parse(sb.toString())).isEqualTo(Map.of("a", List.of(), "b", Map.of(),
                "c", List.of(List.of(BigDecimal.ONE, BigDecimal.TWO))));
    }
}
